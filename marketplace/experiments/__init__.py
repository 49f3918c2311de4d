"""Experiments and recipes (roadmap block 15): an initiative tried as an experiment, with what
it wants to learn and, when it ends, what its initiators and the gemeente learned; a realised
initiative published as a recipe that another buurt copies into an initiative of its own."""
