"""quasirandom.SobolEngine and the `_sobol_engine_*` ops against values PyTorch 2.13 gives
(printed from torch.quasirandom with the same calls; FG_TEST_BACKEND=torch runs this file
on PyTorch). Points are compared exactly: ours must be PyTorch's bit for bit.
tools/check_sobol_against_torch.py compares every dimension against PyTorch itself."""

import pytest
from backend import IS_TORCH, fg

SobolEngine = fg.quasirandom.SobolEngine

# the last dimension's direction numbers (sobolstate[-1]) of SobolEngine(dimension)
LAST_DIRECTIONS = {
    1: [2**k for k in range(29, -1, -1)],
    5: [536870912, 268435456, 134217728, 738197504, 1040187392, 922746880, 511705088, 658505728,
        379584512, 200278016, 676855808, 1009516544, 916586496, 468779008, 542670848, 271499264,
        144826368, 754085888, 1054435328, 929870848, 503351808, 654495488, 377744768, 188970688,
        681697312, 1022521360, 920217608, 460108844, 536906302, 268619575],
    1111: [536870912, 268435456, 671088640, 1006632960, 637534208, 16777216, 58720256, 884998144,
           329252864, 632291328, 211288064, 363593728, 207486976, 121307136, 402751488, 67223552,
           838901760, 453038080, 612448256, 910169088, 618772992, 47266560, 982102144, 1015368000,
           359319968, 516542352, 325376808, 456899028, 771751938, 754974731],
    21201: [536870912, 268435456, 939524096, 738197504, 503316480, 117440512, 310378496, 1002438656,
            706740224, 256901120, 816316416, 964952064, 964296704, 631701504, 896761856, 440221696,
            938827776, 353554432, 459831296, 184552448, 478153216, 79693056, 346033280, 714081856,
            495453536, 609487440, 840041592, 906168668, 56201214, 254952011],
}

# sobolstate.sum(0) of SobolEngine(21201): every dimension's numbers counted
COLUMN_SUMS_21201 = [
    11382200205312, 11368509997056, 11457227915264, 11410587254784, 11346263408640, 11332254433280,
    11376034578432, 11402488053760, 11406634123264, 11479683170304, 11219368411136, 11483717828608,
    11270034948096, 11384619859968, 11404256706560, 11413183709184, 11407606718464, 11410746806272,
    11381124093952, 11321177381888, 11350422161920, 11408278210816, 11460254211200, 11420215710656,
    11451963385184, 11309127256656, 11350766714760, 11354135069996, 11429199478710, 11373497268355,
]


@pytest.mark.parametrize("dimension", sorted(LAST_DIRECTIONS))
def test_direction_numbers_are_joe_and_kuos(dimension):
    engine = SobolEngine(dimension)
    assert engine.sobolstate.dtype == fg.int64
    assert engine.sobolstate.shape == (dimension, 30)
    assert engine.sobolstate[-1].tolist() == LAST_DIRECTIONS[dimension]
    assert engine.sobolstate[0].tolist() == LAST_DIRECTIONS[1]  # dimension 1: all m_k = 1


def test_all_21201_dimensions_and_their_points():
    engine = SobolEngine(21201)
    assert engine.sobolstate.sum(0).tolist() == COLUMN_SUMS_21201
    points = engine.draw(6, dtype=fg.float64)
    assert points.shape == (6, 21201)
    assert points[:, [0, 1110, 21200]].tolist() == [
        [0.0, 0.0, 0.0], [0.5, 0.5, 0.5], [0.75, 0.75, 0.75], [0.25, 0.25, 0.25],
        [0.375, 0.875, 0.625], [0.875, 0.375, 0.125]]
    engine.fast_forward(1000)
    assert engine.draw(2, dtype=fg.float64)[:, [3, 21199, 21200]].tolist() == [
        [0.0517578125, 0.8212890625, 0.4580078125], [0.5517578125, 0.3212890625, 0.9580078125]]


def test_first_points_default_dtype_and_attributes():
    engine = SobolEngine(dimension=5)
    assert (engine.MAXBIT, engine.MAXDIM, SobolEngine.MAXDIM) == (30, 21201, 21201)
    assert (engine.dimension, engine.scramble, engine.seed, engine.num_generated) == (5, False, None, 0)
    assert engine.shift.tolist() == [0] * 5 and engine.shift.dtype == fg.int64
    points = engine.draw(3)
    assert points.dtype == fg.float32
    assert points.tolist() == [[0.0] * 5, [0.5] * 5, [0.75, 0.25, 0.25, 0.25, 0.75]]
    assert engine.num_generated == 3
    assert engine.quasi.tolist() == [805306368, 268435456, 268435456, 268435456, 805306368]


def test_scrambled_with_a_seed():
    engine = SobolEngine(5, scramble=True, seed=123)
    assert engine.shift.tolist() == [96906626, 623962702, 437811466, 1063707767, 1026844221]
    assert engine.sobolstate[-1, :6].tolist() == [782791981, 383041360, 150608575, 560831116,
                                                   873752876, 1028109262]
    assert engine.draw(4, dtype=fg.float64).tolist() == [
        [0.09025132656097412, 0.5811105370521545, 0.4077436923980713, 0.9906550645828247,
         0.9563232064247131],
        [0.8748458884656429, 0.2342706425115466, 0.7750531500205398, 0.31081464421004057,
         0.3064010292291641],
        [0.5146256219595671, 0.8430619807913899, 0.1254499712958932, 0.6624919893220067,
         0.08256059885025024],
        [0.29421718418598175, 0.4722962900996208, 0.555015292018652, 0.10771265719085932,
         0.6855987133458257]]
    points = engine.draw(2, dtype=fg.float32)  # int -> float32 rounds, as PyTorch's kernel
    assert points.dtype == fg.float32
    assert points.tolist() == [
        [0.4846280813217163, 0.9162143468856812, 0.961802065372467, 0.16611908376216888,
         0.5485085844993591],
        [0.707027792930603, 0.2723315954208374, 0.3444928824901581, 0.595899224281311,
         0.21403288841247559]]


def test_scrambled_dimensions_1_and_1111():
    one = SobolEngine(1, scramble=True, seed=0)
    assert one.shift.tolist() == [510142454]
    assert one.sobolstate.tolist() == [[
        1035020617, 485415309, 221912743, 105834358, 55252134, 22679122, 16419075, 5778285, 3427825,
        1466375, 808932, 490852, 214422, 75006, 59690, 16776, 16297, 4891, 3046, 1697, 664, 456, 155,
        78, 45, 30, 12, 6, 2, 1]]
    assert one.draw(5, dtype=fg.float64).tolist() == [
        [0.47510719299316406], [0.5601231446489692], [0.9877832401543856], [0.039489383809268475],
        [0.24590322002768517]]
    many = SobolEngine(1111, scramble=True, seed=7)
    assert many.shift[-3:].tolist() == [794764282, 846920031, 805708674]
    assert many.sobolstate[-1].tolist() == [
        669531741, 391224823, 756402978, 1055829240, 555115873, 18916131, 59467158, 884281454,
        352035674, 581075876, 247296531, 302698701, 236829829, 132750203, 497935995, 78321526,
        854458059, 517527467, 599574011, 907988588, 600077077, 49108414, 954596984, 1041500158,
        313177845, 469654048, 341423551, 519037054, 736858140, 681546277]
    assert many.draw(3, dtype=fg.float64)[:, -2:].tolist() == [
        [0.7887557148933411, 0.7503746747970581], [0.3980396883562207, 0.3739084890112281],
        [0.7135217478498816, 0.011688269674777985]]


def test_scrambled_without_a_seed_draws_from_the_default_generator():
    fg.manual_seed(2024)
    engine = SobolEngine(3, scramble=True)
    assert engine.draw(3, dtype=fg.float64).tolist() == [
        [0.8626154661178589, 0.25121569633483887, 0.026709871366620064],
        [0.3348218221217394, 0.7007968537509441, 0.8777014017105103],
        [0.0036731641739606857, 0.04436551872640848, 0.3783158231526613]]
    assert fg.rand(2).tolist() == [0.44550973176956177, 0.5268417596817017]


def test_first_point_keeps_the_default_dtype_of_construction():
    # PyTorch keeps the first point as shift / 2**30 in the default dtype of that time
    built_in_float32 = SobolEngine(2, scramble=True, seed=11)
    assert built_in_float32.shift.tolist() == [780833659, 123432025]
    assert built_in_float32.draw(1, dtype=fg.float64).tolist() == [[0.7272080183029175, 0.11495503038167953]]
    previous = fg.get_default_dtype()
    fg.set_default_dtype(fg.float64)
    try:
        built_in_float64 = SobolEngine(2, scramble=True, seed=11)
        assert built_in_float64.draw(1, dtype=fg.float64).tolist() == [[0.7272080136463046, 0.11495503131300211]]
        assert built_in_float64.draw(1).dtype == fg.float64
    finally:
        fg.set_default_dtype(previous)


def test_fast_forward_and_reset():
    engine = SobolEngine(4, scramble=True, seed=3)
    engine.draw(3)
    assert engine.fast_forward(4) is engine and engine.num_generated == 7
    assert engine.draw(2, dtype=fg.float64).tolist() == [
        [0.2410647189244628, 0.5711153503507376, 0.8815340995788574, 0.17839005403220654],
        [0.12862361501902342, 0.4555463269352913, 0.04175492562353611, 0.2865823497995734]]
    assert engine.quasi.tolist() == [138108555, 489139144, 44834010, 307715455]
    assert engine.reset() is engine and engine.num_generated == 0
    assert engine.quasi.tolist() == engine.shift.tolist()
    all_nine = engine.draw(9, dtype=fg.float64)
    assert all_nine[7:].tolist() == [
        [0.2410647189244628, 0.5711153503507376, 0.8815340995788574, 0.17839005403220654],
        [0.12862361501902342, 0.4555463269352913, 0.04175492562353611, 0.2865823497995734]]
    skipped = SobolEngine(4, scramble=True, seed=3).fast_forward(5)  # from the start: 5 points
    assert skipped.draw(4, dtype=fg.float64).tolist() == all_nine[5:].tolist()


def test_fast_forward_backwards_steps_as_pytorch():
    # a negative count makes PyTorch's loop take the first direction number at each step
    engine = SobolEngine(3).fast_forward(-3)
    assert engine.num_generated == -3 and engine.quasi.tolist() == [0, 0, 0]
    assert engine.draw(5, dtype=fg.float64).tolist() == [[0.5] * 3, [0.0] * 3, [0.5] * 3, [0.0] * 3, [0.5] * 3]
    assert engine.num_generated == 2


def test_draw_base2_and_its_balance_error():
    engine = SobolEngine(3, scramble=True, seed=5)
    assert engine.draw_base2(2).shape == (4, 3)
    engine.draw_base2(2)
    engine.draw(1)
    with pytest.raises(ValueError) as info:
        engine.draw_base2(1)
    assert str(info.value) == (
        "The balance properties of Sobol' points require n to be a power of 2. 9 points have been "
        "previously generated, then: n=9+2**1=11. If you still want to do this, please use "
        "'SobolEngine.draw()' instead.")
    assert engine.num_generated == 9


def test_draw_into_out_and_python_float_dtype():
    engine = SobolEngine(2)
    out = fg.zeros(1, dtype=fg.float64)
    assert engine.draw(3, out=out) is out
    assert out.shape == (3, 2) and out.tolist() == [[0.0, 0.0], [0.5, 0.5], [0.75, 0.25]]
    assert engine.draw(2, dtype=float).dtype == fg.float64


def test_repr():
    assert repr(SobolEngine(3)) == "SobolEngine(dimension=3)"
    assert repr(SobolEngine(3, scramble=True, seed=5)) == "SobolEngine(dimension=3, scramble=True, seed=5)"
    assert repr(SobolEngine(3, seed=5)) == "SobolEngine(dimension=3, seed=5)"


@pytest.mark.parametrize("dimension", [0, -1, 21202])
def test_dimension_out_of_range(dimension):
    with pytest.raises(ValueError, match=r"^Supported range of dimensionality for SobolEngine is \[1, 21201\]$"):
        SobolEngine(dimension)


def test_draw_errors_as_pytorch():
    with pytest.raises(NotImplementedError, match="^\"_sobol_engine_draw\" not implemented for 'Half'$"):
        SobolEngine(3).draw(2, dtype=fg.float16)
    assert SobolEngine(3).draw(1, dtype=fg.float16).dtype == fg.float16  # the kept first point
    with pytest.raises(RuntimeError, match=r"^Trying to create tensor with negative dimension -1: \[-1, 3\]$"):
        SobolEngine(3).draw(0)
    with pytest.raises(TypeError, match="argument 'n' \\(position 2\\) must be int, not float"):
        SobolEngine(3).draw(2.0)


def test_private_ops():
    state = fg.zeros(3, 30, dtype=fg.int64)
    assert fg._sobol_engine_initialize_state_(state, 3) is state
    assert state[2, :4].tolist() == [536870912, 805306368, 402653184, 603979776]
    quasi = fg.zeros(3, dtype=fg.int64)
    points, new_quasi = fg._sobol_engine_draw(quasi, 3, state, 3, 0, None)
    assert points.dtype == fg.float32 and quasi.tolist() == [0, 0, 0]
    assert points.tolist() == [[0.5] * 3, [0.75, 0.25, 0.25], [0.25, 0.75, 0.75]]
    assert new_quasi.tolist() == [268435456, 805306368, 805306368]
    assert fg._sobol_engine_ff_(quasi, 3, state, 3, 0) is quasi
    assert quasi.tolist() == new_quasi.tolist()
    with pytest.raises(RuntimeError, match="^quasi needs to be of type Long$"):
        fg._sobol_engine_draw(fg.zeros(3), 1, state, 3, 0, None)
    with pytest.raises(RuntimeError, match="^sobolstate needs to be of type Long$"):
        fg._sobol_engine_ff_(quasi, 1, fg.zeros(3, 30), 3, 0)
    with pytest.raises(RuntimeError, match="^sobolstate needs to be of type Long$"):
        fg._sobol_engine_initialize_state_(fg.zeros(3, 30), 3)
    with pytest.raises(RuntimeError, match="^expected scalar type Long but found Float$"):
        fg._sobol_engine_scramble_(state, fg.zeros(3, 30, 30), 3)
    with pytest.raises(NotImplementedError, match="^\"arange_cpu\" not implemented for 'Bool'$"):
        fg._sobol_engine_scramble_(state, fg.zeros(3, 30, 30, dtype=fg.bool), 3)


def test_scramble_op_with_an_identity_matrix_keeps_the_numbers():
    state = fg._sobol_engine_initialize_state_(fg.zeros(2, 30, dtype=fg.int64), 2)
    before = state.tolist()
    fg._sobol_engine_scramble_(state, fg.zeros(2, 30, 30, dtype=fg.int64), 2)  # L = I
    assert state.tolist() == before


@pytest.mark.skipif(IS_TORCH, reason="PyTorch reads past its 30 direction numbers (undefined)")
def test_points_past_2_to_the_30_are_refused():
    engine = SobolEngine(2).fast_forward(2**30)  # the last point with a direction number
    assert engine.num_generated == 2**30
    for step in (engine.draw, lambda: engine.fast_forward(1)):
        with pytest.raises(RuntimeError, match="fewer than 2\\*\\*30 points"):
            step()
