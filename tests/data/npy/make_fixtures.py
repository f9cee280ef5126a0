#!/usr/bin/env python3
"""Writes the small .npy fixtures of tests/unit/test_npy.c with NumPy (numpy.save).

Run from this folder: /usr/bin/python3 make_fixtures.py. Every array is the same 3 x 4
matrix a[i, j] = 10 * (i + 1) + j + 0.5 (so 10.5 11.5 12.5 13.5 / 20.5 ... / 30.5 ...),
stored in different orders, byte orders, element types and format versions.
"""
import numpy as np
from numpy.lib import format as npf

a = np.array([[10 * (i + 1) + j + 0.5 for j in range(4)] for i in range(3)])

np.save("c_f8.npy", np.ascontiguousarray(a))                 # C order, '<f8'
np.save("fortran_f8.npy", np.asfortranarray(a))              # Fortran order, '<f8'
np.save("c_big_f8.npy", a.astype(">f8"))                     # C order, big endian
np.save("fortran_big_f8.npy", np.asfortranarray(a.astype(">f8")))
np.save("c_f4.npy", a.astype("<f4"))                         # float32 (values exact)
np.save("c_i8.npy", np.floor(a).astype("<i8"))               # integers 10 11 12 13 ...
np.save("vector_f8.npy", a[:, 0].copy())                     # 1-D: one column
with open("v2_f8.npy", "wb") as f:                           # format version 2.0
    npf.write_array(f, a, version=(2, 0))
with open("v3_f8.npy", "wb") as f:                           # format version 3.0
    npf.write_array(f, a, version=(3, 0))
np.save("nan_f8.npy", np.array([[1.0, np.nan], [2.0, 3.0]]))
np.save("three_d.npy", np.zeros((2, 2, 2)))
np.save("complex.npy", np.zeros((2, 2), dtype=np.complex128))
