-- Placeholder on the nea branch only, so that 0003 follows without a gap. The tenant branch's file of the same
-- name (the tenant-side provider tables) replaces this one when the branches are merged: keep theirs.
SELECT 1;
