-- Every attempt first removes the rows older than the throttling window (addresses are
-- kept no longer than that): an index on the time keeps it from reading the whole table.
-- The table now also counts sign-ups ("signup-address:<ip>", "signup-email:<email>") and
-- failures of one account from one address ("account-address:<email> <ip>").
CREATE INDEX login_attempts_at ON login_attempts(at);
