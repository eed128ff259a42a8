"""itsm-ontology: a graph ontology service joining ITIL 4, the Zero Outage Industry Standard and SFIA."""

__version__ = "0.1.0"
