"""pledge_analysis: from Service Pledge feedback to prioritised improvement areas."""
__version__ = "0.1.0"
