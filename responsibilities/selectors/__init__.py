"""Every non-trivial read of the responsibilities app, scoped, with the joins done."""
