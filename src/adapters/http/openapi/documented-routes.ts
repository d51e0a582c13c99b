const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);

export interface DocumentedRoute {
  /** Upper case, as Koa's router names methods. */
  readonly method: string;
  /** Koa style: `/chat/sessions/:id/messages/:message_id`. */
  readonly path: string;
}

/**
 * The routes an OpenAPI document describes, in the router's vocabulary, so a test can hold the
 * app's routes and the document to each other. Takes any document shape (also one parsed from
 * `/openapi.json`), since a path item holds keys other than methods (`parameters`, `summary`).
 */
export const documentedRoutes = (document: { readonly paths?: object }): DocumentedRoute[] =>
  Object.entries(document.paths ?? {})
    .flatMap(([path, item]: [string, unknown]) =>
      typeof item === 'object' && item !== null
        ? Object.keys(item)
            .filter((key) => HTTP_METHODS.has(key))
            .map((method) => ({ method: method.toUpperCase(), path: path.replace(/\{([^}]+)\}/g, ':$1') }))
        : [],
    )
    .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
