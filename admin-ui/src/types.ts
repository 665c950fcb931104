/** The metadata shapes the console edits: the engine's own types (type-only, nothing of the engine is bundled). */
export type {
  ObjectDef, FieldDef, FieldType, PicklistOption, Labels, MetadataBundle, RoleDef, ObjectGrant, FieldAccess, ValidationRuleDef, AssignmentRuleSetDef,
  AssignmentEntryDef, AssigneeDef, AutomationRuleDef, AutomationActionDef, AutomationTriggerDef, ActionValue, DurationDef, WebhookDef,
  TenantSettings, BusinessHoursDef, IndexDef, LayoutDef, RecordTypeDef, FormulaField, RollupField, ConversionDef,
  ReportDef, ReportGroupingDef, ReportMeasureDef, ReportFilterDef, ChartType, DashboardDef, DashboardTileDef, ConversionTargetDef,
} from '../../functions/engine/metadata/types';
