"""The typed model of every file in a case folder."""

from stafett.model.case import Case
from stafett.model.people import People, Person
from stafett.model.settings import Settings

__all__ = ["Case", "People", "Person", "Settings"]
