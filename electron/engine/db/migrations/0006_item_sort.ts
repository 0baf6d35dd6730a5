/**
 * Migration 6: the items table can be listed newest/oldest first and by last update without
 * sorting a million rows (the dashboard's sortable items table). Items are written once and
 * updated only on re-discovery merges, so the two indexes cost little on the hot path.
 */
export const migration0006 = `
CREATE INDEX items_job_discovered ON items (job_id, discovered_at);
CREATE INDEX items_job_updated ON items (job_id, updated_at);
`;
