"""Session 27 (helper sigs18): PyTorch's argument-parser TypeErrors listing a builtin's
overloads as PyTorch does: its order, names and defaults (`Number alpha = 1`, `int dim =
-1`, `str interpolation = "linear"`), the `*, ` before keyword-only ones, its deprecated
overloads left out (one listed overload is `but expected (...)`), and the notes under an
overload with as many slots as arguments (`!str!` for an ill-typed one, a keyword by the
slot at its place, the keywords it has no place for). A keyword given twice is only found
once every parameter is read. Messages are PyTorch's; the file also runs against PyTorch
(`FG_TEST_BACKEND=torch`)."""

import warnings

import pytest
from backend import fg

CASES = [
    (lambda x: fg.std('a'),
        ('std() received an invalid combination of arguments - got (str), but expected one of:\n'
         ' * (Tensor input, tuple of ints dim, bool unbiased = True, bool keepdim = '
         'False, *, Tensor out = None)\n'
         ' * (Tensor input, tuple of ints dim = None, *, Number correction = None, bool '
         'keepdim = False, Tensor out = None)\n'
         ' * (Tensor input, bool unbiased = True)\n')),
    (lambda x: x.greater_('a'),
        ('greater_() received an invalid combination of arguments - got (str), but '
         'expected one of:\n'
         ' * (Tensor other)\n'
         "      didn't match because some of the arguments have invalid types: (!str!)\n"
         ' * (Number other)\n'
         "      didn't match because some of the arguments have invalid types: (!str!)\n")),
    (lambda x: fg.var_mean(1.5),
        ('var_mean() received an invalid combination of arguments - got (float), but '
         'expected one of:\n'
         ' * (Tensor input, tuple of ints dim, bool unbiased = True, bool keepdim = False)\n'
         ' * (Tensor input, tuple of ints dim = None, *, Number correction = None, bool '
         'keepdim = False)\n'
         ' * (Tensor input, bool unbiased = True)\n')),
    (lambda x: fg.special.xlogy(x, None),
        ('special_xlogy() received an invalid combination of arguments - got (Tensor, '
         'NoneType), but expected one of:\n'
         ' * (Tensor input, Tensor other, *, Tensor out = None)\n'
         ' * (Number self, Tensor other, *, Tensor out = None)\n'
         ' * (Tensor input, Number other, *, Tensor out = None)\n')),
    (lambda x: fg.randint('a'),
        ('randint() received an invalid combination of arguments - got (str), but '
         'expected one of:\n'
         ' * (int high, tuple of ints size, *, torch.Generator generator, Tensor out = '
         'None, torch.dtype dtype = None, torch.layout layout = None, torch.device device '
         '= None, bool pin_memory = False, bool requires_grad = False)\n'
         ' * (int high, tuple of ints size, *, Tensor out = None, torch.dtype dtype = '
         'None, torch.layout layout = None, torch.device device = None, bool pin_memory = '
         'False, bool requires_grad = False)\n'
         ' * (int low, int high, tuple of ints size, *, torch.Generator generator, Tensor '
         'out = None, torch.dtype dtype = None, torch.layout layout = None, torch.device '
         'device = None, bool pin_memory = False, bool requires_grad = False)\n'
         ' * (int low, int high, tuple of ints size, *, Tensor out = None, torch.dtype '
         'dtype = None, torch.layout layout = None, torch.device device = None, bool '
         'pin_memory = False, bool requires_grad = False)\n')),
    (lambda x: fg.gradient(x, spacing='a'),
        ('gradient() received an invalid combination of arguments - got (Tensor, '
         'spacing=str), but expected one of:\n'
         ' * (Tensor input, *, tuple of ints dim, int edge_order = 1)\n'
         ' * (Tensor input, *, Number spacing, tuple of ints dim, int edge_order = 1)\n'
         ' * (Tensor input, *, Number spacing = None, int dim = None, int edge_order = 1)\n'
         ' * (Tensor input, *, tuple of Scalars spacing, int dim = None, int edge_order = 1)\n'
         ' * (Tensor input, *, tuple of Scalars spacing, tuple of ints dim, int '
         'edge_order = 1)\n'
         ' * (Tensor input, *, tuple of Tensors spacing, int dim = None, int edge_order = 1)\n'
         ' * (Tensor input, *, tuple of Tensors spacing, tuple of ints dim, int '
         'edge_order = 1)\n')),
    (lambda x: fg.sort(x, 'a'),
        ('sort() received an invalid combination of arguments - got (Tensor, str), but '
         'expected one of:\n'
         ' * (Tensor input, *, bool stable, int dim = -1, bool descending = False, tuple '
         'of Tensors out = None)\n'
         ' * (Tensor input, int dim = -1, bool descending = False, *, tuple of Tensors '
         'out = None)\n')),
    (lambda x: fg._foreach_add([x], 'a'),
        ('_foreach_add() received an invalid combination of arguments - got (list, str), '
         'but expected one of:\n'
         ' * (tuple of Tensors self, Number scalar)\n'
         "      didn't match because some of the arguments have invalid types: (!list of "
         '[Tensor]!, !str!)\n'
         ' * (tuple of Tensors self, tuple of Scalars scalars)\n'
         "      didn't match because some of the arguments have invalid types: (!list of "
         '[Tensor]!, !str!)\n'
         ' * (tuple of Tensors self, Tensor other, *, Number alpha = 1)\n'
         ' * (tuple of Tensors self, tuple of Tensors other, *, Number alpha = 1)\n')),
    (lambda x: fg.quantile(x, 'a'),
        ('quantile() received an invalid combination of arguments - got (Tensor, str), '
         'but expected one of:\n'
         ' * (Tensor input, Tensor q, int dim = None, bool keepdim = False, *, str '
         'interpolation = "linear", Tensor out = None)\n'
         ' * (Tensor input, float q, int dim = None, bool keepdim = False, *, str '
         'interpolation = "linear", Tensor out = None)\n')),
    (lambda x: fg.std(x, 0, input=x),
        ('std() received an invalid combination of arguments - got (Tensor, int, '
         'input=Tensor), but expected one of:\n'
         ' * (Tensor input, tuple of ints dim, bool unbiased = True, bool keepdim = '
         'False, *, Tensor out = None)\n'
         ' * (Tensor input, tuple of ints dim = None, *, Number correction = None, bool '
         'keepdim = False, Tensor out = None)\n'
         ' * (Tensor input, bool unbiased = True)\n')),
    (lambda x: fg.cumsum(x, 0, dim=1),
        ("cumsum() got multiple values for argument 'dim'")),
    (lambda x: fg.linalg.norm(x, 'fro', 'a'),
        ('linalg_norm() received an invalid combination of arguments - got (Tensor, str, '
         'str), but expected one of:\n'
         ' * (Tensor input, Number ord = None, tuple of ints dim = None, bool keepdim = '
         'False, *, torch.dtype dtype = None, Tensor out = None)\n'
         ' * (Tensor input, str ord, tuple of ints dim = None, bool keepdim = False, *, '
         'torch.dtype dtype = None, Tensor out = None)\n')),
    (lambda x: fg.linalg.matrix_norm(x, ord=1, dim='a'),
        ('linalg_matrix_norm() received an invalid combination of arguments - got '
         '(Tensor, dim=str, ord=int), but expected one of:\n'
         ' * (Tensor input, Number ord, tuple of ints dim = {-2,-1}, bool keepdim = '
         'False, *, torch.dtype dtype = None, Tensor out = None)\n'
         ' * (Tensor input, str ord = "fro", tuple of ints dim = {-2,-1}, bool keepdim = '
         'False, *, torch.dtype dtype = None, Tensor out = None)\n')),
    (lambda x: fg.histogram(x, 'a'),
        ('histogram() received an invalid combination of arguments - got (Tensor, str), '
         'but expected one of:\n'
         ' * (Tensor input, Tensor bins, *, Tensor weight = None, bool density = False, '
         'tuple of Tensors out = None)\n'
         ' * (Tensor input, int bins = 100, *, tuple of floats range = None, Tensor '
         'weight = None, bool density = False, tuple of Tensors out = None)\n')),
    (lambda x: fg.addcdiv(x),
        ('addcdiv() received an invalid combination of arguments - got (Tensor), but '
         'expected (Tensor input, Tensor tensor1, Tensor tensor2, *, Number value = 1, '
         'Tensor out = None)')),
    (lambda x: fg.addmv(x, x, x, x, x, x, x),
        ('addmv() received an invalid combination of arguments - got (Tensor, Tensor, '
         'Tensor, !Tensor!, !Tensor!, !Tensor!, !Tensor!), but expected (Tensor input, '
         'Tensor mat, Tensor vec, *, Number beta = 1, Number alpha = 1, Tensor out = None)')),
    (lambda x: fg.addmm('a'),
        ('addmm() received an invalid combination of arguments - got (str), but expected '
         'one of:\n'
         ' * (Tensor input, Tensor mat1, Tensor mat2, *, Number beta = 1, Number alpha = '
         '1, Tensor out = None)\n'
         ' * (Tensor input, Tensor mat1, Tensor mat2, torch.dtype out_dtype, *, Number '
         'beta = 1, Number alpha = 1, Tensor out = None)\n')),
    (lambda x: fg.cumsum(x, "a", dim=1), "cumsum(): argument 'dim' (position 2) must be int, not str"),
]


@pytest.mark.parametrize(("call", "message"), CASES)
def test_a_call_no_overload_takes_is_pytorchs_type_error(call, message):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(TypeError) as caught:
            call(fg.ones(2, 3))
    assert str(caught.value) == message
