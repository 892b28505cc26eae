"""sarap: who said what, about whom, when and with what tone, in Russian-language news."""
from .analyzer import Analyzer, analyze
from .model import SCHEMA_VERSION, Document

__all__ = ["Analyzer", "analyze", "Document", "SCHEMA_VERSION"]
__version__ = "0.1.0"
