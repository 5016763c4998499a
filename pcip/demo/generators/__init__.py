"""Synthetic data generators: identifiers valid per :mod:`pcip.identity`, Chinese names, and rows
for any catalog item (:mod:`pcip.demo.generators.records`)."""

from pcip.demo.generators.identifiers import random_citizen_id, random_uscc
from pcip.demo.generators.names import (
    random_company_name,
    random_organisation,
    random_person_name,
)

__all__ = [
    "random_citizen_id",
    "random_company_name",
    "random_organisation",
    "random_person_name",
    "random_uscc",
]
