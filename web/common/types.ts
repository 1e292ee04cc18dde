/** The REST shapes the web apps use are the typed client's (client/types.ts). */
export type * from '../../client/types';
