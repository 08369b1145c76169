"""PyTorch's top-level forms of the nn functions (`torch.conv2d`, `torch.dropout`,
`torch.batch_norm`, `torch.embedding`, ...): ATen argument orders, integer reductions,
values and node names against recorded PyTorch constants, gradcheck in float64, and
PyTorch's error types."""
import warnings

import numpy as np
import pytest
from backend import fg


def det(shape, k=0.3, scale=1.5):
    n = int(np.prod(shape)) if shape else 1
    return (np.sin(np.arange(n) * 1.3 + k) * scale).reshape(shape)


def t(data, dtype=None, requires_grad=False):
    return fg.tensor(np.asarray(data), dtype=fg.float64 if dtype is None else dtype, requires_grad=requires_grad)


def _probs():
    return 0.5 + 0.4 * det((2, 3), 2.0, 1.0)


def _log_probs():
    z = det((6, 2, 4), 0.5)
    return z - np.log(np.exp(z).sum(-1, keepdims=True))


# name -> (function of the differentiable inputs, the inputs as arrays)
CASES = {
    "conv1d": (lambda x, w: fg.conv1d(x, w, None, 1, 1), [det((1, 3, 6)), det((2, 3, 3), 1.0)]),
    "conv1d_same": (lambda x, w: fg.conv1d(x, w, None, 1, "same"), [det((1, 3, 6)), det((2, 3, 3), 1.0)]),
    "conv2d": (lambda x, w, b: fg.conv2d(x, w, b, 2, 1), [det((1, 2, 4, 5)), det((2, 2, 3, 3), 1.0), det((2,), 2.0)]),
    "conv3d": (lambda x, w: fg.conv3d(x, w, None, 1, 0, 1, 1), [det((1, 1, 3, 3, 3)), det((2, 1, 2, 2, 2), 1.0)]),
    "conv_transpose1d": (lambda x, w: fg.conv_transpose1d(x, w, None, 2, 1, 1), [det((1, 3, 4)), det((3, 2, 3), 1.0)]),
    "conv_transpose2d": (lambda x, w: fg.conv_transpose2d(x, w, None, 1, 0, 0, 2), [det((1, 2, 3, 3)), det((2, 1, 2, 2), 1.0)]),
    "conv_transpose3d": (lambda x, w: fg.conv_transpose3d(x, w), [det((1, 1, 2, 2, 2)), det((1, 2, 2, 2, 2), 1.0)]),
    "convolution": (lambda x, w: fg.convolution(x, w, None, [1, 1], [1, 0], [1, 1], False, [0, 0], 1),
                    [det((1, 2, 4, 5)), det((2, 2, 3, 3), 1.0)]),
    "convolution_transposed": (lambda x, w: fg.convolution(x, w, None, [2], [0], [1], True, [1], 1),
                               [det((1, 3, 4)), det((3, 2, 3), 1.0)]),
    "conv_tbc": (lambda x, w, b: fg.conv_tbc(x, w, b, 1), [det((5, 2, 3)), det((3, 3, 4), 1.0), det((4,), 2.0)]),
    "layer_norm": (lambda x, w, b: fg.layer_norm(x, [4], w, b), [det((2, 3, 4)), det((4,), 1.0), det((4,), 2.0)]),
    "group_norm": (lambda x, w, b: fg.group_norm(x, 3, w, b, 1e-5, True), [det((2, 6, 2)), det((6,), 1.0), det((6,), 2.0)]),
    "batch_norm_train": (lambda x, w, b: fg.batch_norm(x, w, b, None, None, True, 0.1, 1e-5, False),
                         [det((4, 3)), det((3,), 1.0), det((3,), 2.0)]),
    "batch_norm_eval": (lambda x: fg.batch_norm(x, None, None, t([0.1, -0.2, 0.3]), t([1.5, 0.5, 2.0]), False, 0.1, 1e-5,
                                                 False), [det((4, 3))]),
    "instance_norm": (lambda x: fg.instance_norm(x, None, None, None, None, True, 0.1, 1e-5, False), [det((2, 3, 4))]),
    "rms_norm": (lambda x, w: fg.rms_norm(x, [4], w, 1e-6), [det((2, 3, 4)), det((4,), 1.0)]),
    "embedding": (lambda w: fg.embedding(w, fg.tensor([[0, 2], [1, 2]]), 1), [det((3, 4))]),
    "pixel_shuffle": (lambda x: fg.pixel_shuffle(x, 2), [det((1, 4, 2, 3))]),
    "pixel_unshuffle": (lambda x: fg.pixel_unshuffle(x, 2), [det((1, 1, 4, 2))]),
    "channel_shuffle": (lambda x: fg.channel_shuffle(x, 2), [det((1, 4, 3))]),
    "pdist": (lambda x: fg.pdist(x, 1.5), [det((4, 3))]),
    "pairwise_distance": (lambda x, y: fg.pairwise_distance(x, y, 3.0, 1e-6, True), [det((2, 3)), det((2, 3), 1.0)]),
    "cosine_similarity": (lambda x, y: fg.cosine_similarity(x, y, 0), [det((2, 3)), det((2, 3), 1.0)]),
    "kl_div": (lambda x: fg.kl_div(x, t(_probs())), [det((2, 3))]),
    "kl_div_mean": (lambda x: fg.kl_div(x, t(_probs()), 1), [det((2, 3))]),
    "kl_div_sum_log_target": (lambda x, y: fg.kl_div(x, y, 2, log_target=True), [det((2, 3)), det((2, 3), 1.0)]),
    "celu": (lambda x: fg.celu(x, 1.5), [det((2, 3))]),
    "selu": (lambda x: fg.selu(x), [det((2, 3))]),
    "rrelu_eval": (lambda x: fg.rrelu(x, 0.1, 0.3), [det((2, 3))]),
    "threshold": (lambda x: fg.threshold(x, 0.2, -3.0), [det((2, 3))]),
    "hardshrink": (lambda x: fg.hardshrink(x, 0.7), [det((2, 3))]),
    "hardshrink_method": (lambda x: x.hardshrink(), [det((2, 3))]),
    "prelu": (lambda x, w: fg.prelu(x, w), [det((2, 3, 2)), det((3,), 1.0, 0.3)]),
    "prelu_method": (lambda x, w: x.prelu(w), [det((2, 3)), det((1,), 1.0, 0.3)]),
    "bilinear": (lambda x, y, w, b: fg.bilinear(x, y, w, b), [det((2, 3)), det((2, 2), 1.0), det((4, 3, 2), 2.0),
                                                              det((4,), 3.0)]),
    "max_pool1d": (lambda x: fg.max_pool1d(x, 2), [det((1, 3, 6))]),
    "max_pool1d_stride_pad": (lambda x: fg.max_pool1d(x, 3, 2, 1, 1, True), [det((1, 3, 6))]),
    "max_pool2d": (lambda x: fg.max_pool2d(x, 2, (), 0, 1, True), [det((1, 2, 5, 5))]),
    "max_pool3d": (lambda x: fg.max_pool3d(x, 2, 1), [det((1, 1, 3, 3, 3))]),
    "avg_pool1d": (lambda x: fg.avg_pool1d(x, 3, 2, 1, False, False), [det((1, 2, 7))]),
    "adaptive_avg_pool1d": (lambda x: fg.adaptive_avg_pool1d(x, 4), [det((1, 2, 7))]),
    "adaptive_max_pool1d": (lambda x: fg.adaptive_max_pool1d(x, 3)[0], [det((1, 2, 7))]),
    "max_pool1d_with_indices": (lambda x: fg.max_pool1d_with_indices(x, 2)[0], [det((1, 3, 6))]),
    "ctc_loss": (lambda lp: fg.ctc_loss(lp, fg.tensor([[1, 2], [3, 3]]), [6, 5], [2, 2]), [_log_probs()]),
    "ctc_loss_mean": (lambda lp: fg.ctc_loss(lp, fg.tensor([[1, 2], [3, 3]]), [6, 5], [2, 2], 0, 1), [_log_probs()]),
    "margin_ranking_loss": (lambda x, y: fg.margin_ranking_loss(x, y, t(np.sign(det((2, 3), 4.0))), 0.3),
                            [det((2, 3)), det((2, 3), 1.0)]),
    "margin_ranking_loss_sum": (lambda x, y: fg.margin_ranking_loss(x, y, t(np.sign(det((2, 3), 4.0))), 0.3, 2),
                                [det((2, 3)), det((2, 3), 1.0)]),
    "hinge_embedding_loss": (lambda x: fg.hinge_embedding_loss(x, t(np.sign(det((2, 3), 4.0))), 0.5),
                             [det((2, 3))]),
    "poisson_nll_loss": (lambda x: fg.poisson_nll_loss(x, t(np.abs(det((2, 3), 1.0)) * 3), True, True, 1e-8, 1),
                         [det((2, 3))]),
    "poisson_nll_loss_rate": (lambda x: fg.poisson_nll_loss(x, t(np.abs(det((2, 3), 1.0))), False, False, 1e-8, 0),
                              [np.abs(det((2, 3))) + 0.5]),
    "binary_cross_entropy_with_logits": (lambda x: fg.binary_cross_entropy_with_logits(x, t(_probs())), [det((2, 3))]),
    "binary_cross_entropy_with_logits_weighted": (
        lambda x: fg.binary_cross_entropy_with_logits(x, t(_probs()), t([1.0, 2.0, 0.5]), t([0.5, 1.0, 3.0]), 1),
        [det((2, 3))]),
    "cosine_embedding_loss": (lambda x, y: fg.cosine_embedding_loss(x, y, fg.tensor([1, -1]), 0.1),
                              [det((2, 3)), det((2, 3), 1.0)]),
    "triplet_margin_loss": (lambda a, p, n: fg.triplet_margin_loss(a, p, n, 1.0, 2.0, 1e-6, True),
                            [det((2, 3)), det((2, 3), 1.0), det((2, 3), 2.0)]),
    "constant_pad_nd": (lambda x: fg.constant_pad_nd(x, [1, 2, -1, 0], 3.5), [det((2, 3))]),
    "affine_grid_generator": (lambda th: fg.affine_grid_generator(th, [1, 1, 2, 3], False), [det((1, 2, 3))]),
    "grid_sampler": (lambda x: fg.grid_sampler(x, t(det((1, 2, 2, 2), 1.0, 0.9)), 0, 0, False), [det((1, 1, 3, 4))]),
    "grid_sampler_nearest_border": (lambda x: fg.grid_sampler(x, t(det((1, 2, 2, 2), 1.0, 0.9)), 1, 1, True),
                                    [det((1, 1, 3, 4))]),
}

# name -> (shape, grad_fn name, values), recorded from PyTorch 2.13 on the inputs above
EXPECTED = {
    'conv1d': ([1, 2, 6], 'ConvolutionBackward0', [1.70205694439, -0.30986564303, -0.36002466907, 0.117253288526, 0.422754903737, -0.571390809716, 1.72192641642, -0.117176473527, -2.67392681561, -1.31336810848, 1.97127795447, -0.345368176386]),
    'conv1d_same': ([1, 2, 6], 'ConvolutionBackward0', [1.70205694439, -0.30986564303, -0.36002466907, 0.117253288526, 0.422754903737, -0.571390809716, 1.72192641642, -0.117176473527, -2.67392681561, -1.31336810848, 1.97127795447, -0.345368176386]),
    'conv2d': ([1, 2, 2, 3], 'ConvolutionBackward0', [-0.952841503073, 2.10986065096, 2.64712077364, 1.54355701421, 2.85514796913, -0.375006615118, -1.18888805909, 3.19798018453, -2.09254493785, 1.90771998835, -3.25506844376, 1.06003348975]),
    'conv3d': ([1, 2, 2, 2, 2], 'ConvolutionBackward0', [7.32835216943, 2.83712683954, -5.94572856396, 2.62954510459, 4.05243801828, 7.03242557648, -7.18763204022, -3.5552594926, -5.552770105, -7.47529166979, 8.30641404762, 2.89040548121, 1.1408957802, -7.65079984496, 4.85059226831, 7.82911127315]),
    'conv_transpose1d': ([1, 2, 8], 'ConvolutionBackward0', [3.23837566713, 3.9086837019, 1.96391154806, -1.87499737704, -2.18768758987, -4.91180290597, -3.13431928344, 1.50774414613, -2.03673586597, -1.34420576128, 0.685072443203, 4.89506509771, 2.40324801813, 3.96305412063, 0.600659616287, -3.61960738183]),
    'conv_transpose2d': ([1, 2, 4, 4], 'ConvolutionBackward0', [0.559511278492, 2.38833707074, 2.13009438242, 0.40142131156, -1.9444037769, -4.44666748931, -2.69606130082, 0.300176488789, 2.70410452079, 4.30334460266, -0.702001728818, -2.69732400872, -0.965691155345, -2.16862742447, 0.897727207513, 2.11465928489, 0.100312927481, -1.25761395669, 1.24584470381, 1.88845672204, -0.670482898717, 1.41940200159, -1.80401713612, -1.98124764922, -0.403299293837, 0.528290107984, 2.66718091318, -0.357373438008, 1.07084645656, -0.120731384975, -1.61710527513, 0.559125874844]),
    'conv_transpose3d': ([1, 2, 3, 3, 3], 'ConvolutionBackward0', [0.559511278492, 2.38833707074, 1.67712130292, 0.158732180581, -2.89724086076, -3.67193766176, -0.238213618249, 0.338937679392, 1.92663426309, -1.39105419766, 0.188552077305, 2.93864156502, 2.88298331495, 4.30961787034, -4.29594741858, -0.650823801744, -3.65215904669, 1.17102544235, 0.131901579709, -1.58141788261, 1.04282620176, -1.10985802174, 3.68488347341, -0.642636910177, 1.27643675754, -1.3314556825, -0.0348443803456, -0.611280350762, -1.97901847432, 0.299644271286, 0.163790454111, 4.36628242416, 0.631011565679, 0.53325482707, -1.72905627421, -0.778026310817, 0.94186030545, -3.52479965795, -1.68070197032, -3.76948017017, 3.23459302249, 4.28505408317, 2.34656515635, 0.784357297824, -1.93271238319, 1.23560725252, 0.425522203675, -0.904031517252, -2.24356112296, -3.01865383965, 1.06290134272, 0.74919971559, 2.1944718766, 0.0555679850801]),
    'convolution': ([1, 2, 4, 3], 'ConvolutionBackward0', [-0.409706341226, 0.745914510718, 0.808768856968, 2.93387082001, 2.07101073155, -1.82588493049, 3.15233442577, 1.49120182889, -2.35454494083, -2.25253468066, -2.5753366144, 0.874735625323, 2.1915568188, 3.43459872575, -0.354054546937, 0.462836537476, -2.81298426698, -1.96777653019, -0.203655628798, -3.01844990255, -1.41120799759, -1.98141592385, -0.914934666726, 1.49192802061]),
    'convolution_transposed': ([1, 2, 10], 'ConvolutionBackward0', [1.30632269836, 3.23837566713, 3.9086837019, 1.96391154806, -1.87499737704, -2.18768758987, -4.91180290597, -3.13431928344, 1.50774414613, 0.0, -3.0103592928, -2.03673586597, -1.34420576128, 0.685072443203, 4.89506509771, 2.40324801813, 3.96305412063, 0.600659616287, -3.61960738183, 0.0]),
    'conv_tbc': ([5, 2, 4], 'ConvTbcBackward0', [5.42743461327, -0.67951069714, -5.79097124432, -2.41864535177, 0.377887495759, 2.80177484198, 1.12105548084, -2.20201278609, -1.39016349697, -1.52790723913, 0.57273670354, 1.83432003374, 3.63078675852, -0.316652287261, -3.80019499037, -1.71644312967, 0.826910110879, 1.17086832006, -0.200498302701, -1.27813444229, -0.123190873579, -2.20006515584, -1.05383883059, 1.63626385036, 4.0601037678, 1.20655324777, -3.4146006069, -3.0333565729, -1.06337268407, -0.368461970858, 0.866246392877, 0.831901761647, -1.16545225447, -4.0604333572, -1.00687007905, 3.52176022376, 6.18040091306, 2.33611665314, -4.93058397657, -4.97396752948]),
    'layer_norm': ([2, 3, 4], 'NativeLayerNormBackward0', [1.60866712536, 1.15632698417, -1.56345248338, 1.72196947176, -0.475656689282, 0.3029137673, -2.32136395374, -0.153260271717, -0.207339596538, -1.02880672011, -2.04325469108, -2.2119440914, 1.34113386532, -1.64752421023, -1.32330061197, -2.81757631663, 3.272601795, -0.608643799001, -0.652037287766, -0.684092584272, 2.83649241406, 0.646955623488, -0.990230736943, 1.21179330329]),
    'group_norm': ([2, 6, 2], 'NativeGroupNormBackward0', [1.60866712536, 2.93577804363, -0.113745517802, -1.96930697314, -0.523109375694, -1.81070870277, -2.40535937837, -0.153260271717, 1.34565532558, 1.27877051326, 2.36931415877, 2.77415179304, 1.34113386532, -0.228152404053, -0.518433041138, 1.47631769294, -2.49427776533, -1.26976725333, 1.30076170408, -0.684092584272, 1.04509810067, 1.09205049291, 0.137244523378, -0.494673141044]),
    'batch_norm_train': ([4, 3], 'NativeBatchNormBackward0', [1.94500452146, 1.05384442658, -1.55919282516, -0.102522407493, -1.87033873263, -1.80436753303, 3.12810338342, -0.61788458032, -0.408773111826, 0.485199063566, 0.487904721508, -2.18981255178]),
    'batch_norm_eval': ([4, 3], 'NativeBatchNormBackward0', [0.280286265122, 2.40323449927, 0.0416300961912, -1.14910378505, -1.2138221952, 0.311953537659, 1.10621422618, 0.335395972566, -1.22679362806, -0.738812124838, 1.70319763856, 0.736935481657]),
    'instance_norm': ([2, 3, 4], 'ViewBackward0', [0.193883480666, 1.24530489407, 0.109849505682, -1.54903788042, -1.45744999945, 0.482346374684, 1.25165961013, -0.276555985359, -1.24487218624, -0.708222825823, 0.8326819608, 1.12041305127, -0.0180733305776, -1.26136141197, -0.251944508653, 1.5313792512, 1.51215802582, -0.332593677064, -1.26321729747, 0.0836529487142, 1.16664452323, 0.789922657797, -0.753721515149, -1.20284566587]),
    'rms_norm': ([2, 3, 4], 'MulBackward0', [0.540737435114, 1.62084716891, -0.230220597676, 1.86198797035, -1.37280738529, 0.852005479378, -0.992440219114, -0.0562835333067, -1.54220852291, -0.766573157165, -0.567658115798, -1.68418960519, -0.358163416983, -1.65786510754, 0.337986789368, -1.78275760778, 1.47935394001, -0.670090426259, 0.990717280994, 0.293906755557, 1.4808620116, 0.890951342518, 0.495908914385, 1.76283441101]),
    'embedding': ([2, 2, 4], 'EmbeddingBackward0', [0.443280309992, 1.49936040456, 0.358873993821, -1.30736365862, -1.43495252441, -0.804859377001, 1.00435464329, 1.34218675821, -1.05831048836, 0.741170026708, 1.45483471627, 0.03716313818, -1.43495252441, -0.804859377001, 1.00435464329, 1.34218675821]),
    'pixel_shuffle': ([1, 1, 4, 6], 'PixelShuffleBackward0', [0.443280309992, 1.45483471627, 1.49936040456, 0.03716313818, 0.358873993821, -1.43495252441, -0.286287872061, -1.48572828135, -1.49535009906, -0.198527625147, -0.513720927704, 1.37951646699, -1.30736365862, -0.804859377001, -1.05831048836, 1.00435464329, 0.741170026708, 1.34218675821, 1.22051060626, 0.936565703125, 1.1666912427, -0.878456009961, -0.596333524682, -1.40653761045]),
    'pixel_unshuffle': ([1, 4, 2, 1], 'PixelUnshuffleBackward0', [0.443280309992, -1.05831048836, 1.49936040456, 0.741170026708, 0.358873993821, 1.45483471627, -1.30736365862, 0.03716313818]),
    'channel_shuffle': ([1, 4, 3], 'ChannelShuffleBackward0', [0.443280309992, 1.49936040456, 0.358873993821, 1.45483471627, 0.03716313818, -1.43495252441, -1.30736365862, -1.05831048836, 0.741170026708, -0.804859377001, 1.00435464329, 1.34218675821]),
    'pdist': ([6], 'PdistBackward0', [3.53384102592, 2.99687302483, 1.94748816363, 4.30989311273, 2.42852581255, 4.31907311878]),
    'pairwise_distance': ([2, 1], 'NormBackward1', [1.18735376486, 1.03655184328]),
    'cosine_similarity': ([3], 'SumBackward1', [0.928160719928, 0.875817484535, 0.628061196604]),
    'kl_div': ([2, 3], 'SubBackward0', [-0.509411203881, -1.01684830401, -0.270307186202, 0.0907048815025, 0.700377992976, -0.77052550697]),
    'kl_div_mean': ([], 'MeanBackward0', [-0.296001554432]),
    'kl_div_sum_log_target': ([], 'SumBackward0', [4.70665747556]),
    'celu': ([2, 3], 'CeluBackward0', [0.443280309992, 1.49936040456, 0.358873993821, -0.872562154768, -0.759237499689, 0.741170026708]),
    'selu': ([2, 3], 'EluBackward0', [0.465755059384, 1.57537945748, 0.377069259644, -1.28247662513, -1.14796565141, 0.77874807886]),
    'rrelu_eval': ([2, 3], 'RreluWithNoiseBackward0', [0.443280309992, 1.49936040456, 0.358873993821, -0.261472731724, -0.211662097671, 0.741170026708]),
    'threshold': ([2, 3], 'ThresholdBackward0', [0.443280309992, 1.49936040456, 0.358873993821, -3.0, -3.0, 0.741170026708]),
    'hardshrink': ([2, 3], 'HardshrinkBackward0', [0.0, 1.49936040456, 0.0, -1.30736365862, -1.05831048836, 0.741170026708]),
    'hardshrink_method': ([2, 3], 'HardshrinkBackward0', [0.0, 1.49936040456, 0.0, -1.30736365862, -1.05831048836, 0.741170026708]),
    'prelu': ([2, 3, 2], 'PreluKernelBackward0', [0.443280309992, 1.49936040456, 0.358873993821, -0.292472368333, 0.140497207935, 0.741170026708, 1.45483471627, 0.03716313818, -0.321015473003, -0.18005634975, 1.00435464329, 1.34218675821]),
    'prelu_method': ([2, 3], 'PreluKernelBackward0', [0.443280309992, 1.49936040456, 0.358873993821, -0.330032575596, -0.267161270661, 0.741170026708]),
    'bilinear': ([2, 4], 'AddBackward0', [-1.88383924574, -0.506715415432, 1.24223556959, 0.236357612882, -2.87620852245, -2.34619424452, 2.03610513863, 2.16150357491]),
    'max_pool1d': ([1, 3, 3], 'SqueezeBackward1', [1.49936040456, 0.358873993821, 0.741170026708, 1.45483471627, -0.804859377001, 1.34218675821, -0.286287872061, 1.22051060626, 1.1666912427]),
    'max_pool1d_stride_pad': ([1, 3, 4], 'SqueezeBackward1', [1.49936040456, 1.49936040456, 0.741170026708, 0.741170026708, 1.45483471627, 0.03716313818, 1.34218675821, 1.34218675821, -0.286287872061, 1.22051060626, 1.22051060626, -0.596333524682]),
    'max_pool2d': ([1, 2, 3, 3], 'MaxPool2DWithIndicesBackward0', [1.49936040456, 0.358873993821, -0.804859377001, 1.34218675821, -0.286287872061, -0.198527625147, 1.37951646699, -0.878456009961, 0.125961683538, 1.49932091257, -1.05736595612, 0.742327976329, 1.45450968437, -0.512469056944, 1.22128458226, 1.16585344729, -0.19720703156, 1.3800390573]),
    'max_pool3d': ([1, 1, 2, 2, 2], 'MaxPool3DWithIndicesBackward0', [1.49936040456, 1.49936040456, 1.45483471627, 1.1666912427, 1.00435464329, 1.37951646699, 1.47392681605, 1.47392681605]),
    'avg_pool1d': ([1, 2, 4], 'SqueezeBackward1', [0.971320357277, 0.183623579921, -0.541501373423, 1.09800237149, -0.698894693113, -0.411819086037, 0.686751176481, -0.890818985562]),
    'adaptive_avg_pool1d': ([1, 2, 4], 'SqueezeBackward1', [0.971320357277, 0.183623579921, -0.541501373423, 1.09800237149, -0.698894693113, -0.411819086037, 0.686751176481, -0.890818985562]),
    'adaptive_max_pool1d': ([1, 2, 3], 'SqueezeBackward1', [1.49936040456, 0.358873993821, 1.45483471627, 0.03716313818, 1.34218675821, 1.34218675821]),
    'max_pool1d_with_indices': ([1, 3, 3], 'SqueezeBackward1', [1.49936040456, 0.358873993821, 0.741170026708, 1.45483471627, -0.804859377001, 1.34218675821, -0.286287872061, 1.22051060626, 1.1666912427]),
    'ctc_loss': ([2], 'CtcLossBackward0', [4.63808131868, 4.49966633374]),
    'ctc_loss_mean': ([], 'MeanBackward0', [2.2844369131]),
    'margin_ranking_loss': ([2, 3], 'ClampMinBackward0', [0.0, 0.680802586297, 0.0, 0.133684739684, 1.23367638413, 0.0]),
    'margin_ranking_loss_sum': ([], 'SumBackward0', [2.04816371011]),
    'hinge_embedding_loss': ([2, 3], 'AddBackward0', [0.056719690008, 0.0, 0.358873993821, -1.30736365862, -1.05831048836, 0.0]),
    'poisson_nll_loss': ([], 'MeanBackward0', [3.13841090162]),
    'poisson_nll_loss_rate': ([2, 3], 'SubBackward0', [1.01698278848, 1.22439297039, 0.95985696792, 0.93513842681, 1.50302252297, 0.937181334842]),
    'binary_cross_entropy_with_logits': ([2, 3], 'BinaryCrossEntropyWithLogitsBackward0', [0.556281397111, 1.04581724842, 0.851804286061, 0.697600695765, 1.16304486871, 0.523571480559]),
    'binary_cross_entropy_with_logits_weighted': ([], 'BinaryCrossEntropyWithLogitsBackward0', [1.04129128859]),
    'cosine_embedding_loss': ([2], 'AddBackward0', [0.312659973195, 0.726570450315]),
    'triplet_margin_loss': ([2], 'ClampMinBackward0', [0.773640744635, 0.544240657126]),
    'constant_pad_nd': ([1, 6], 'ConstantPadNdBackward0', [3.5, -1.30736365862, -1.05831048836, 0.741170026708, 3.5, 3.5]),
    'affine_grid_generator': ([1, 2, 3, 2], 'AffineGridGeneratorBackward0', [-0.686326415121, 2.1419010433, -0.39080620846, 1.27032527089, -0.0952860017988, 0.398749498472, 0.813033989441, 1.08359055494, 1.1085541961, 0.21201478253, 1.40407440276, -0.659560989883]),
    'grid_sampler': ([1, 1, 2, 2], 'GridSampler2DBackward0', [1.3136630895, 0.799125679455, -0.125345378935, -0.369708969261]),
    'grid_sampler_nearest_border': ([1, 1, 2, 2], 'GridSampler2DBackward0', [1.34218675821, 1.49936040456, -0.804859377001, 0.358873993821]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_shapes_and_node_names(name):
    fn, inputs = CASES[name]
    shape, node, values = EXPECTED[name]
    out = fn(*[t(a, requires_grad=True) for a in inputs])
    assert list(out.shape) == shape
    assert type(out.grad_fn).__name__ == node
    np.testing.assert_allclose(np.asarray(out.detach().numpy()).ravel(), values, rtol=1e-9, atol=1e-11)


# PyTorch's CTC gradient assumes normalised log-probabilities (finite differences leave
# them), and the padding row of an embedding gets no gradient by design: those two are
# checked against PyTorch's numbers elsewhere, not by finite differences.
NOT_GRADCHECKED = {"ctc_loss", "ctc_loss_mean", "embedding"}


@pytest.mark.parametrize("name", sorted(set(CASES) - NOT_GRADCHECKED))
def test_gradcheck(name):
    fn, inputs = CASES[name]
    xs = [t(a, requires_grad=True) for a in inputs]
    assert fg.autograd.gradcheck(fn, xs, eps=1e-6, atol=1e-5)


def test_losses_do_not_reduce_when_reduction_is_left_out():
    x, y = t(det((2, 3)), requires_grad=True), t(det((2, 3), 1.0))
    target = t(np.sign(det((2, 3), 4.0)))
    assert fg.kl_div(x, y).shape == (2, 3)
    assert fg.margin_ranking_loss(x, y, target).shape == (2, 3)
    assert fg.hinge_embedding_loss(x, target).shape == (2, 3)
    assert fg.binary_cross_entropy_with_logits(x, t(_probs())).shape == (2, 3)
    assert fg.cosine_embedding_loss(x, y, fg.tensor([1, -1])).shape == (2,)
    assert fg.triplet_margin_loss(x, y, y * 2).shape == (2,)
    assert fg.ctc_loss(t(_log_probs()), fg.tensor([[1, 2], [3, 3]]), [6, 5], [2, 2]).shape == (2,)
    assert fg.kl_div(x, y, 2).shape == ()


def test_reduction_must_be_an_int():
    x = t(det((2, 3)))
    with pytest.raises(TypeError):
        fg.kl_div(x, x, "mean")
    with pytest.raises(TypeError):
        fg.margin_ranking_loss(x, x, x, 0.0, "sum")


def test_kl_div_mean_does_not_warn():
    x = t(det((2, 3)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fg.kl_div(x, t(_probs()), 1)


# ---- dropout ------------------------------------------------------------------------


@pytest.mark.parametrize("fn", ["dropout", "alpha_dropout", "feature_dropout", "feature_alpha_dropout"])
def test_dropout_needs_train_and_checks_p(fn):
    x = t(det((2, 3, 4)))
    with pytest.raises(TypeError):
        getattr(fg, fn)(x, 0.5)
    with pytest.raises(RuntimeError):
        getattr(fg, fn)(x, 1.5, True)
    with pytest.raises(RuntimeError):
        getattr(fg, fn)(x, -0.1, False)
    out = getattr(fg, fn)(x, 0.5, False)
    np.testing.assert_array_equal(out.numpy(), x.numpy())


DROPOUT_SEED3 = [[2.0, 2.0, 0.0, 2.0], [0.0, 0.0, 2.0, 2.0]]
FEATURE_DROPOUT_SEED3 = [[[2.0] * 4, [2.0] * 4, [0.0] * 4], [[2.0] * 4, [0.0] * 4, [0.0] * 4]]


def test_dropout_streams_match_pytorch():
    # recorded: torch.manual_seed(3); torch.dropout(torch.ones(2, 4), 0.5, True)
    fg.manual_seed(3)
    out = fg.dropout(fg.ones(2, 4), 0.5, True)
    np.testing.assert_array_equal(out.numpy(), DROPOUT_SEED3)
    # feature dropout: one draw per (batch, channel)
    fg.manual_seed(3)
    out = fg.feature_dropout(fg.ones(2, 3, 4), 0.5, True)
    np.testing.assert_array_equal(out.numpy(), FEATURE_DROPOUT_SEED3)


def test_dropout_node_names():
    x = t(det((2, 3, 4)), requires_grad=True)
    assert type(fg.dropout(x, 0.5, True).grad_fn).__name__ == "MulBackward0"
    assert type(fg.alpha_dropout(x, 0.5, True).grad_fn).__name__ == "AddBackward0"
    assert type(fg.feature_dropout(x, 0.5, True).grad_fn).__name__ == "MulBackward0"
    assert type(fg.feature_alpha_dropout(x, 0.5, True).grad_fn).__name__ == "AddBackward0"


def test_feature_dropout_needs_two_dims():
    with pytest.raises(RuntimeError):
        fg.feature_dropout(t(det((3,))), 0.5, True)


def test_in_place_dropouts_return_their_input():
    for fn in (fg.dropout_, fg.alpha_dropout_, fg.feature_dropout_, fg.feature_alpha_dropout_):
        x = t(det((2, 3, 4)))
        assert fn(x, 0.5, True) is x
    leaf = t(det((2, 3)), requires_grad=True)
    with pytest.raises(RuntimeError):
        fg.dropout_(leaf, 0.5, True)


# ---- in-place activations --------------------------------------------------------------


def test_in_place_activations():
    x = t(det((2, 3)))
    expected = np.where(det((2, 3)) > 0, det((2, 3)), 1.5 * np.expm1(det((2, 3)) / 1.5))
    assert fg.celu_(x, 1.5) is x
    np.testing.assert_allclose(x.numpy(), expected, rtol=1e-12)
    x = t(det((2, 3)))
    fg.threshold_(x, 0.2, -3.0)
    np.testing.assert_array_equal(x.numpy(), np.where(det((2, 3)) > 0.2, det((2, 3)), -3.0))
    x = t(det((2, 3)))
    fg.selu_(x)
    alpha, scale = 1.6732632423543772, 1.0507009873554805
    np.testing.assert_allclose(x.numpy(), scale * np.where(det((2, 3)) > 0, det((2, 3)), alpha * np.expm1(det((2, 3)))),
                               rtol=1e-12)
    x = t(det((2, 3)))
    fg.rrelu_(x, 0.1, 0.3)
    np.testing.assert_allclose(x.numpy(), np.where(det((2, 3)) >= 0, det((2, 3)), 0.2 * det((2, 3))), rtol=1e-12)


# ---- argument orders and errors ------------------------------------------------------


def test_embedding_takes_weight_first():
    w = t(det((3, 4)), requires_grad=True)
    out = fg.embedding(w, fg.tensor([2, 0]))
    np.testing.assert_array_equal(out.detach().numpy(), det((3, 4))[[2, 0]])
    out.sum().backward()
    np.testing.assert_array_equal(w.grad.numpy()[1], np.zeros(4))
    w.grad = None
    fg.embedding(w, fg.tensor([1, 1, 0]), 1).sum().backward()  # padding row 1 gets no gradient
    np.testing.assert_array_equal(w.grad.numpy(), [[1.0] * 4, [0.0] * 4, [0.0] * 4])
    with pytest.raises(IndexError):
        fg.embedding(w, fg.tensor([5]))
    with pytest.raises(RuntimeError):
        fg.embedding(w, fg.tensor([0.0, 1.0]))


def test_batch_norm_argument_order_and_running_stats():
    x = t(det((4, 3)))
    rm, rv = t([0.0, 0.0, 0.0]), t([1.0, 1.0, 1.0])
    fg.batch_norm(x, None, None, rm, rv, True, 0.1, 1e-5, False)
    np.testing.assert_allclose(rm.numpy(), 0.1 * det((4, 3)).mean(0), rtol=1e-12)
    np.testing.assert_allclose(rv.numpy(), 0.9 + 0.1 * det((4, 3)).var(0, ddof=1), rtol=1e-12)
    with pytest.raises(RuntimeError):
        fg.batch_norm(x, None, None, None, None, False, 0.1, 1e-5, False)
    with pytest.raises(TypeError):
        fg.batch_norm(x, None, None, rm, rv, False, 0.1, 1e-5)


def test_layer_norm_errors():
    x = t(det((2, 3)))
    with pytest.raises(TypeError):
        fg.layer_norm(x, 3)
    with pytest.raises(RuntimeError):
        fg.layer_norm(x, [4])
    with pytest.raises(RuntimeError):
        fg.group_norm(t(det((2, 4, 3))), 3)


def test_pools_return_values_only_and_with_indices_pairs():
    x = t(det((1, 2, 6)))
    out = fg.max_pool1d(x, 2)
    assert isinstance(out, fg.Tensor)
    np.testing.assert_array_equal(out.numpy(), det((1, 2, 6)).reshape(1, 2, 3, 2).max(-1))
    values, indices = fg.max_pool1d_with_indices(x, 2)
    np.testing.assert_array_equal(values.numpy(), out.numpy())
    assert indices.dtype == fg.int64
    np.testing.assert_array_equal(indices.numpy(), det((1, 2, 6)).reshape(1, 2, 3, 2).argmax(-1) + [0, 2, 4])
    values, indices = fg.adaptive_max_pool1d(x, 3)
    np.testing.assert_array_equal(values.numpy(), out.numpy())
    with pytest.raises(TypeError):
        fg.max_pool1d(x, 2, return_indices=True)


def test_constant_pad_nd_errors():
    with pytest.raises(RuntimeError):
        fg.constant_pad_nd(t(det((2, 3))), [1])


def test_threshold_needs_value():
    with pytest.raises(TypeError):
        fg.threshold(t(det((2, 3))), 0.1)


def test_top_level_forms_are_in_the_namespace():
    names = [
        "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "conv_tbc",
        "convolution", "dropout", "dropout_", "alpha_dropout", "alpha_dropout_", "feature_dropout",
        "feature_dropout_", "feature_alpha_dropout", "feature_alpha_dropout_", "layer_norm", "group_norm",
        "batch_norm", "instance_norm", "rms_norm", "embedding", "pixel_shuffle", "pixel_unshuffle",
        "native_channel_shuffle", "channel_shuffle", "pdist", "pairwise_distance", "cosine_similarity", "kl_div",
        "celu", "celu_", "selu", "selu_", "rrelu", "rrelu_", "threshold", "threshold_", "hardshrink", "prelu",
        "bilinear", "max_pool1d", "max_pool2d", "max_pool3d", "max_pool1d_with_indices", "avg_pool1d",
        "adaptive_avg_pool1d", "adaptive_max_pool1d", "ctc_loss", "margin_ranking_loss", "hinge_embedding_loss",
        "poisson_nll_loss", "binary_cross_entropy_with_logits", "cosine_embedding_loss", "triplet_margin_loss",
        "constant_pad_nd", "grid_sampler", "affine_grid_generator",
    ]
    assert [n for n in names if not callable(getattr(fg, n, None))] == []


# recorded: the gradient of torch.ctc_loss(lp, targets, [6, 5], [2, 2], 0, 1) w.r.t. lp
CTC_MEAN_GRAD = [-0.00868710146295, -0.0338464365441, 0.034709253992, 0.00782428401503, -0.0687523881485, 0.0863467542598, 0.12472970902, -0.142324075131, -0.047006407274, -0.137165136193, 0.0741149286736, 0.110056614794, 0.00367985665514, 0.0102134440906, 0.0362049348915, -0.0500982356372, -0.0241805336302, -0.0244544771436, -0.0145740497704, 0.0632090605442, -0.0892249658697, 0.0714644784088, 0.0119601720694, 0.00580031539155, -0.0466512352231, 0.0962241541196, -0.0584123869332, 0.00883946803667, -0.0430937471842, 0.0661452288827, 0.138658458331, -0.161709940029, -0.0197646508425, 0.0145857550962, -0.128604934134, 0.13378382988, 0.00235713793113, 0.0114138466174, 0.0297255892816, -0.0434965738301, -0.0663276434242, 0.0290309994509, -0.00398926195866, 0.0412859059319, 0.0, 0.0, 0.0, 0.0]


def test_ctc_loss_gradient_matches_pytorch():
    lp = t(_log_probs(), requires_grad=True)
    fg.ctc_loss(lp, fg.tensor([[1, 2], [3, 3]]), [6, 5], [2, 2], 0, 1).backward()
    np.testing.assert_allclose(lp.grad.numpy().ravel(), CTC_MEAN_GRAD, rtol=1e-8, atol=1e-11)


# recorded: torch.embedding_bag(w, [0, 2, 1, 4, 4, 3], [0, 2, 2, 5], ...) on the float64 w
# below: (output, offset2bag, bag_size, max_indices)
EMBEDDING_BAG = {
    'sum': ([0.998543345375, 1.282656547767, -0.312325097264, 0.0, 0.0, 0.0, -0.472258854585, -2.741702681189, -0.994545656725, -0.761983583919, 0.420167036827, 0.986771964275], [0, 0, 2, 2, 2, 3], [0, 0, 0, 0], [0, 0, 0, 0]),
    'mean': ([0.499271672687, 0.641328273883, -0.156162548632, 0.0, 0.0, 0.0, -0.157419618195, -0.91390089373, -0.331515218908, -0.761983583919, 0.420167036827, 0.986771964275], [0, 0, 2, 2, 2, 3], [2, 0, 3, 1], [2, 0, 3, 1]),
    'max': ([0.998543345375, 0.963558185417, 0.515501371821, 0.0, 0.0, 0.0, 0.107753652299, -0.88345465572, 0.215119988088, -0.761983583919, 0.420167036827, 0.986771964275], [0, 0, 2, 2, 2, 3], [2, 0, 3, 1], [[2, 0, 0], [0, 0, 0], [4, 1, 1], [3, 3, 3]]),
    'mean_pad': ([0.499271672687, 0.641328273883, -0.156162548632, 0.0, 0.0, 0.0, -0.687766159184, -0.88345465572, 0.215119988088, -0.761983583919, 0.420167036827, 0.986771964275], [0, 0, 2, 2, 2, 3], [2, 0, 1, 1], [2, 0, 1, 1]),
    'max_pad': ([0.998543345375, 0.963558185417, 0.515501371821, 0.0, 0.0, 0.0, -0.687766159184, -0.88345465572, 0.215119988088, -0.761983583919, 0.420167036827, 0.986771964275], [0, 0, 2, 2, 2, 3], [2, 0, 1, 1], [[2, 0, 0], [0, 0, 0], [1, 1, 1], [3, 3, 3]]),
    'sum_weighted': ([0.499271672687, 0.641328273883, -0.156162548632, 0.0, 0.0, 0.0, -0.236129427293, -1.370851340594, -0.497272828362, -0.38099179196, 0.210083518413, 0.493385982137], [0, 0, 2, 2, 2, 3], [0, 0, 0, 0], [0, 0, 0, 0]),
}

BAG_ARGS = {
    "sum": (False, 0),
    "mean": (False, 1),
    "max": (False, 2),
    "mean_pad": (False, 1, False, None, False, 4),
    "max_pad": (False, 2, False, None, False, 4),
}


def _bag_inputs(dtype=fg.float64):
    w = fg.tensor(np.sin(np.arange(15) * 1.3).reshape(5, 3), dtype=dtype, requires_grad=True)
    return w, fg.tensor([0, 2, 1, 4, 4, 3]), fg.tensor([0, 2, 2, 5])


@pytest.mark.parametrize("key", sorted(EMBEDDING_BAG))
def test_embedding_bag_outputs(key):
    w, idx, off = _bag_inputs()
    args = BAG_ARGS.get(key, (False, 0, False, t(np.full(6, 0.5))))
    output, offset2bag, bag_size, max_indices = fg.embedding_bag(w, idx, off, *args)
    values, expected_o2b, expected_sizes, expected_max = EMBEDDING_BAG[key]
    np.testing.assert_allclose(output.detach().numpy().ravel(), values, rtol=1e-10, atol=1e-12)
    assert type(output.grad_fn).__name__ == "EmbeddingBagBackward0"
    assert offset2bag.tolist() == expected_o2b and offset2bag.dtype == fg.int64
    assert bag_size.tolist() == expected_sizes
    assert max_indices.tolist() == expected_max


def test_embedding_bag_float32_sum_leaves_offset2bag_empty():
    w, idx, off = _bag_inputs(fg.float32)
    _, offset2bag, bag_size, max_indices = fg.embedding_bag(w, idx, off, False, 0)
    assert offset2bag.tolist() == [] and bag_size.tolist() == [0, 0, 0, 0] and max_indices.tolist() == [0, 0, 0, 0]
    assert fg.embedding_bag(w, idx.int(), off.int(), False, 1)[1].dtype == fg.int32


def test_embedding_bag_gradcheck_and_errors():
    w, idx, off = _bag_inputs()
    assert fg.autograd.gradcheck(lambda v: fg.embedding_bag(v, idx, off, False, 1)[0], (w,))
    with pytest.raises(TypeError):
        fg.embedding_bag(w, idx, None)


def test_native_channel_shuffle_has_no_derivative():
    x = t(det((1, 4, 3)), requires_grad=True)
    out = fg.native_channel_shuffle(x, 2)
    np.testing.assert_array_equal(out.detach().numpy(), det((1, 4, 3))[:, [0, 2, 1, 3]])
    assert type(out.grad_fn).__name__ == "NotImplemented"
    with pytest.raises(RuntimeError, match="not implemented"):
        out.sum().backward()
    assert fg.native_channel_shuffle(x.detach(), 2).grad_fn is None


def test_aten_error_types():
    x = t(det((2, 3)))
    ints = fg.ones(2, 2, dtype=fg.int64)
    with pytest.raises(RuntimeError):
        fg.affine_grid_generator(t(det((1, 3, 3))), [1, 1, 2, 2], False)
    with pytest.raises(RuntimeError):
        fg.embedding(t(det((3,))), fg.tensor([0]))
    with pytest.raises(RuntimeError):
        fg.binary_cross_entropy_with_logits(x, t(det((3, 2))))
    with pytest.raises(RuntimeError):
        fg.group_norm(t(det((2, 4))), 0)
    for fn in (fg.dropout, fg.alpha_dropout, fg.feature_dropout):
        with pytest.raises(RuntimeError):
            fn(ints, 0.5, True)
    assert fg.dropout(ints, 0.5, False).tolist() == [[1, 1], [1, 1]]
    for fn in (fg.celu, fg.selu, fg.rrelu, fg.hardshrink):
        with pytest.raises(NotImplementedError):
            fn(ints)
    with pytest.raises(RuntimeError):
        fg.embedding_bag(t(det((3, 2))), fg.tensor([0]), fg.tensor([0]), False, 1, False, t([1.0]))


def test_unknown_reductions_do_not_reduce():
    x = t(det((2, 3)))
    assert fg.kl_div(x, x, 3).shape == (2, 3)
    assert fg.kl_div(x, x, -1).shape == (2, 3)
    assert fg.hinge_embedding_loss(x, t(np.sign(det((2, 3), 4.0))), 1.0, 7).shape == (2, 3)


@pytest.mark.parametrize("name,args,node", [
    ("celu_", (1.5,), "CeluBackward1"),
    ("selu_", (), "EluBackward1"),
    ("rrelu_", (0.1, 0.3), "RreluWithNoiseBackward1"),
    ("threshold_", (0.1, 2.0), "ThresholdBackward1"),
])
def test_in_place_activation_nodes_and_gradients(name, args, node):
    x = t(det((2, 3)), requires_grad=True)
    y = x * 1
    assert getattr(fg, name)(y, *args) is y
    assert type(y.grad_fn).__name__ == node
    assert fg.autograd.gradcheck(lambda v: getattr(fg, name)(v * 1, *args), (x,))
    with pytest.raises(RuntimeError):
        getattr(fg, name)(x, *args)  # a leaf that requires grad


def test_functional_inplace_activations_share_the_in_place_nodes():
    F = fg.nn.functional
    cases = [
        (lambda y: F.celu(y, 1.5, True), "CeluBackward1"),
        (lambda y: F.selu(y, True), "EluBackward1"),
        (lambda y: F.threshold(y, 0.1, 2.0, True), "ThresholdBackward1"),
        (lambda y: F.rrelu(y, inplace=True), "RreluWithNoiseBackward1"),
        (lambda y: fg.nn.CELU(inplace=True)(y), "CeluBackward1"),
        (lambda y: F.elu_(y), "EluBackward1"),
        (lambda y: F.elu(y, 1.3, True), "EluBackward1"),
        (lambda y: F.leaky_relu_(y, 0.2), "LeakyReluBackward1"),
        (lambda y: F.leaky_relu(y, 0.2, True), "LeakyReluBackward1"),
        (lambda y: F.hardtanh_(y, -0.5, 0.7), "HardtanhBackward0"),
        (lambda y: F.hardtanh(y, -0.5, 0.7, True), "HardtanhBackward0"),
    ]
    for fn, node in cases:
        x = t(det((2, 3)), requires_grad=True)
        y = x * 1
        assert fn(y) is y
        assert type(y.grad_fn).__name__ == node
        assert fg.autograd.gradcheck(lambda v, fn=fn: fn(v * 1), (x,))
