-- Placements in batches (docs/decisions/0023-placements-in-batches.md). place_orders places each call of a batch as
-- place_order would alone, each in a subtransaction of its own, and commits them together: a batch passes the lots'
-- locks on, flushes the WAL and crosses the network once for all its orders. Answers come back in the calls' order.
-- A call that raises (sold_out under the lots' locks, a concurrent twin's unique key, a deadlock with another batch)
-- undoes only its own writes: its answer is {"failed": {"sqlState", "message"}} and the others are kept.

CREATE FUNCTION "place_orders"(calls jsonb) RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  v_answers jsonb := '[]'::jsonb;
  v_call jsonb;
BEGIN
  FOR v_call IN SELECT value FROM jsonb_array_elements(calls) LOOP
    BEGIN
      v_answers := v_answers || jsonb_build_array("place_order"(v_call));
    EXCEPTION WHEN OTHERS THEN
      v_answers := v_answers || jsonb_build_array(jsonb_build_object('failed', jsonb_build_object('sqlState', SQLSTATE, 'message', SQLERRM)));
    END;
  END LOOP;
  RETURN v_answers;
END;
$fn$;

-- place_order's statements take their parameters from the call (the buyer, the lines, the group order), so PL/pgSQL
-- planned each of them again on every call: a fifth of the database's CPU in a rush. The plans do not depend on those
-- values (every look-up is by key), so one generic plan per statement and connection serves.
ALTER FUNCTION "place_order"(jsonb) SET plan_cache_mode = force_generic_plan;
