/** Typed requests and answers of every Chorus Pro operation we call, one module per API family. */
export * from './models/common';
export * from './models/transverses';
export * from './models/structures';
export * from './models/utilisateurs';
export * from './models/engagements';
export * from './models/factures';
