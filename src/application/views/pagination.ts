export interface Pagination {
  readonly page: number;
  readonly perPage: number;
  readonly total: number;
  readonly pages: number;
  readonly hasNext: boolean;
  readonly hasPrev: boolean;
}

export interface Paged<T> {
  readonly items: readonly T[];
  readonly pagination: Pagination;
}

/** A window of a list found by position; `offset` is where `page` starts. */
export interface PageRequest {
  readonly offset: number;
  readonly limit: number;
}

export const pageRequest = (page: number, perPage: number): PageRequest => ({
  offset: (page - 1) * perPage,
  limit: perPage,
});

export const paginate = <T>(items: readonly T[], page: number, perPage: number, total: number): Paged<T> => {
  const pages = Math.ceil(total / perPage);
  return {
    items,
    pagination: { page, perPage, total, pages, hasNext: page < pages, hasPrev: page > 1 },
  };
};
