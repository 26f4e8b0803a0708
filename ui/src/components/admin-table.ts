import {
  type ColumnDef,
  columnFilteringFeature,
  type ColumnFiltersState,
  createColumnHelper,
  createSortedRowModel,
  type PaginationState,
  type RowData,
  rowPaginationFeature,
  rowSortingFeature,
  sortFn_alphanumeric,
  sortFn_datetime,
  tableFeatures,
} from '@tanstack/vue-table';
import { computed, type Ref, ref, watch } from 'vue';

/**
 * What every admin table does (TanStack Table): sort the rows on screen by any sortable column, filter and
 * page on the server (manual filtering and pagination: the API holds every row, the table holds the state).
 */
export const adminTableFeatures = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric, datetime: sortFn_datetime },
  rowPaginationFeature,
  columnFilteringFeature,
});
export type AdminTableFeatures = typeof adminTableFeatures;
// Columns of one table hold values of different types; TanStack's own column arrays are typed this way.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AdminColumn<T extends RowData> = ColumnDef<AdminTableFeatures, T, any>;

/** A column's server-side filter, shown above the table as a select. */
export interface AdminFilter {
  label: string;
  name: string;
  options: ReadonlyArray<{ value: string; label: string }>;
}

declare module '@tanstack/vue-table' {
  // The parameters must repeat the library's declaration to merge with it.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TFeatures, TData, TValue> {
    /** Offered as a filter above the table; its value becomes a query variable. */
    filter?: AdminFilter;
  }
}

export const adminColumns = <T extends RowData>() => createColumnHelper<AdminTableFeatures, T>();

/** Rows per page on the admin lists. */
export const PAGE_SIZE = 25;

/**
 * The table state a page owns and turns into query variables: page and filters (server-side). Changing a
 * filter goes back to the first page.
 */
export function useServerTableState() {
  const pagination: Ref<PaginationState> = ref({ pageIndex: 0, pageSize: PAGE_SIZE });
  const columnFilters: Ref<ColumnFiltersState> = ref([]);
  watch(columnFilters, () => (pagination.value = { ...pagination.value, pageIndex: 0 }), { deep: true });
  const filterValue = (id: string) =>
    computed(() => (columnFilters.value.find((filter) => filter.id === id)?.value as string | undefined) || null);
  const pageVariables = computed(() => ({
    limit: pagination.value.pageSize,
    offset: pagination.value.pageIndex * pagination.value.pageSize,
  }));
  return { pagination, columnFilters, filterValue, pageVariables };
}
