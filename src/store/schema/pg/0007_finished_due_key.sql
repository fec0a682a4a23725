-- Sorting by deadline shows all open work (the overdue first) before the finished work: due_key
-- is the deadline still to meet; open work without a deadline comes after every deadline
-- (the largest integer less one), finished work (done, cancelled, resolved, final) last (the
-- largest integer). The store writes it so from now on (gd_workorder_due_key); this fixes the
-- rows written before.
UPDATE workorders SET due_key = 9223372036854775807
WHERE state IN ('done', 'cancelled', 'resolved', 'final');
UPDATE workorders SET due_key = 9223372036854775806
WHERE deadline_at IS NULL AND state NOT IN ('done', 'cancelled', 'resolved', 'final');
