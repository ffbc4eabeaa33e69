-- husleieloven § 3-5 caps a deposit at six months' rent; the schema held
-- it at three, which is only a municipal rule.
DO $$
DECLARE c text;
BEGIN
  FOR c IN SELECT conname FROM pg_constraint WHERE conrelid = 'leases'::regclass AND contype = 'c'
      AND pg_get_constraintdef(oid) LIKE '%deposit%' LOOP
    EXECUTE 'ALTER TABLE leases DROP CONSTRAINT ' || quote_ident(c);
  END LOOP;
END $$;
ALTER TABLE leases ADD CONSTRAINT leases_deposit_cap CHECK (deposit >= 0 AND deposit <= 6 * rent_monthly);
