/**
 * Which module may use which (through its front door): the module map of docs/architecture.md, kept by the
 * `motcua/front-door` lint rule. A module not listed may use none. Add a dependency here, in the same commit as
 * the import and the line of the map, and only downwards: the graph has no cycle (import-x/no-cycle checks files).
 */
export const moduleMap = {
  org: [],
  auth: [],
  catalog: ['org'],
  'location-independent': ['auth', 'catalog'],
  dossiers: ['auth', 'catalog', 'location-independent'],
  calendar: ['auth', 'catalog', 'dossiers', 'org'],
  delegation: ['auth', 'catalog', 'dossiers'],
  notices: ['auth', 'dossiers'],
  documents: ['auth', 'dossiers'],
  postal: ['auth', 'documents', 'dossiers'],
  public: ['documents', 'dossiers'],
  quality: ['auth', 'dossiers', 'restructuring'],
  restructuring: ['auth'],
  sla: ['auth', 'dossiers'],
  health: [],
  ops: [],
  'public-page': [],
};
