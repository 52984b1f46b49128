"""The `tensor` group: every Tensor op's forward value and, where differentiable, its input gradients."""
from oracle_common import Gen, write_group
from tensor_elementwise import binary_cases, promotion_cases, unary_cases
from tensor_structural import index_cases, join_cases, matmul_cases, reduction_cases, view_cases


def generate():
    g = Gen(1234)
    cases = []
    for part in (unary_cases, binary_cases, promotion_cases, reduction_cases, matmul_cases, view_cases,
                 join_cases, index_cases):
        cases += part(g)
    return write_group('tensor', {'cases': cases})
