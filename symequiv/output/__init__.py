"""What users read and run: derivation reports, the paper's figures, the proofs runner, the command line."""
