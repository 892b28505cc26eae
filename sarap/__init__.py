"""sarap: who said what, about whom, when and with what tone, in Russian-language news."""
from .analyzer import Analyzer, analyze
from .model import SCHEMA_VERSION, Document
from .similarity import SAME_CLAIM_THRESHOLD, claim_similarity

__all__ = ["Analyzer", "analyze", "Document", "SCHEMA_VERSION", "claim_similarity", "SAME_CLAIM_THRESHOLD"]
__version__ = "0.1.0"
