"""KOTRA overseas-branch subsidy: participants, sub-programs, the 50% / 1,750,000 won cap."""
