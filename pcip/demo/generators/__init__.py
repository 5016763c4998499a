"""Synthetic data generators: identifiers valid per :mod:`pcip.identity` and Chinese names."""

from pcip.synthetic.identifiers import random_citizen_id, random_uscc
from pcip.synthetic.names import random_company_name, random_person_name

__all__ = ["random_citizen_id", "random_company_name", "random_person_name", "random_uscc"]
