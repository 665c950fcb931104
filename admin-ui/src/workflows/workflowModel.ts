/**
 * Pure edits of a workflow for the designer: a new workflow from a picklist field (one state
 * per option), connecting two states with a transition, and the diagram's nodes and edges.
 * Positions are not metadata: states are laid out in the picklist's order.
 */
import type { ObjectDef, TransitionDef, WorkflowDef } from '../../../functions/engine/metadata/types';

/** Picklist fields of an object that a workflow may govern. */
export const stateFields = (object: ObjectDef | undefined) => (object?.fields ?? []).filter((f) => f.type === 'picklist');

/** A workflow on a picklist field: a state per option, all open, no transitions yet. */
export function newWorkflow(object: ObjectDef, field: string): WorkflowDef {
  const def = object.fields.find((f) => f.name === field);
  const options = def?.type === 'picklist' ? def.options : [];
  return { name: `${object.name}_${field}`.slice(0, 40), object: object.name, field, states: options.map((o) => ({ name: o.value, category: 'open' })), transitions: [] };
}

/** Adds a transition from one state to another (a name not yet used), or returns the workflow as it is when that pair is already connected. */
export function connect(workflow: WorkflowDef, from: string, to: string): { workflow: WorkflowDef; transition: string } {
  const existing = workflow.transitions.find((t) => t.to === to && t.from.includes(from));
  if (existing) return { workflow, transition: existing.name };
  const base = `${from}_to_${to}`.replace(/[^a-z0-9_]/g, '_').replace(/^[^a-z]/, 't').slice(0, 36);
  let name = base;
  for (let n = 2; workflow.transitions.some((t) => t.name === name); n++) name = `${base}_${n}`;
  const transition: TransitionDef = { name, from: [from], to };
  return { workflow: { ...workflow, transitions: [...workflow.transitions, transition] }, transition: name };
}

export interface DiagramNode { readonly id: string; readonly x: number; readonly y: number; readonly fromAny: string[] }
export interface DiagramEdge { readonly id: string; readonly source: string; readonly target: string; readonly transition: string }

/** States in rows of four, in order; an edge per (transition, from-state); transitions from any state (`*`) listed on their target. */
export function diagram(workflow: WorkflowDef): { nodes: DiagramNode[]; edges: DiagramEdge[] } {
  const nodes = workflow.states.map((s, i) => ({
    id: s.name, x: (i % 4) * 240, y: Math.floor(i / 4) * 160,
    fromAny: workflow.transitions.filter((t) => t.to === s.name && t.from.includes('*')).map((t) => t.name),
  }));
  const known = new Set(workflow.states.map((s) => s.name));
  const edges = workflow.transitions.flatMap((t) => t.from.filter((f) => f !== '*' && known.has(f) && known.has(t.to)).map((f) => ({ id: `${t.name}:${f}`, source: f, target: t.to, transition: t.name })));
  return { nodes, edges };
}
