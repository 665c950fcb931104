// Moved to functions/api/templates/catalog.ts; kept until the bench imports the new path.
export * from '../api/templates/catalog';
