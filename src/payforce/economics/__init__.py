"""Fee-schedule economics.

Payment (RVU x GPCI x CF), program viability and staffing, demand, the code ledger.
"""
