"""The paper's claims, one proof script each (installed as ``symequiv.proofs``).

Every module has ``NAME``, ``TITLE``, ``build()`` (the Derivation) and
``main(argv)`` (run it as a script: ``python proofs/NAME.py --out DIR``).
"""

#: The proofs, in the order of the paper.
ORDER = (
    "eq2_continuous_convolution",
    "eq3_integer_shifts",
    "eq4_conv_layer",
    "ineq5_no_discrete_shift",
    "figure1_edge_detector",
    "figure1_edge_detector_2d",
    "figure2_advection",
)
