"""The semantic model: scopes, bindings, lifetimes and repeating contexts, built once per file."""

from nodeleaklint.semantics.lifetimes import Holder, Lifetime
from nodeleaklint.semantics.model import SemanticModel
from nodeleaklint.semantics.scopes import Binding, BindingKind, CallSite, FunctionInfo, Repetition

__all__ = [
    "Binding",
    "BindingKind",
    "CallSite",
    "FunctionInfo",
    "Holder",
    "Lifetime",
    "Repetition",
    "SemanticModel",
]
