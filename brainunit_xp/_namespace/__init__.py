"""The unit-aware array-API namespaces: the rules table (``table``), one factory per kind of rule
(``factories``) and the builder that makes a backend's namespace from them (``build``)."""

from .build import API_VERSIONS, bare_function, namespace_for, populate, provided
from .table import LAX_RULES, MATH_RULES, RULES, Kind, Rule

__all__ = [
    "API_VERSIONS",
    "LAX_RULES",
    "MATH_RULES",
    "RULES",
    "Kind",
    "Rule",
    "bare_function",
    "namespace_for",
    "populate",
    "provided",
]
