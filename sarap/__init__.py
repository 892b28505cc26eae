"""sarap: who said what, about whom, when and with what tone, in Russian-language news."""
from .analyzer import Analyzer, analyze
from .model import SCHEMA_VERSION, Document
# Imported eagerly so that the name `sarap.ingest` is the function, not the submodule (light imports only).
from .ingest import ingest
from .store import open_store
from .similarity import SAME_CLAIM_THRESHOLD, claim_similarity

__all__ = ["Analyzer", "analyze", "Document", "SCHEMA_VERSION", "claim_similarity", "SAME_CLAIM_THRESHOLD",
           "ingest", "open_store"]
__version__ = "0.1.0"
