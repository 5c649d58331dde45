"""The store: the only code that reads or writes files in a case folder."""
