'use strict';
// gen_cases.js OUT_DIR [FILTER...]
//
// Writes one small Keras model per layer class / option into OUT_DIR/<case>/:
//   model.json + weights.bin   TensorFlow.js layers format (Keras config + weight manifest)
//   in0.npy ...                seeded random inputs (float32; int32 ids for Embedding)
//   out0.npy ...               reference outputs
//   meta.json                  {"layers": [...], "source": "tfjs"|"hand", "note": ...,
//                               "google_ops": [...], "runtime_ops": [...] (both optional)}
//
// Two kinds of cases:
//   tfjs  the model is built with TensorFlow.js's Keras layers (pure-JS CPU backend), weights
//         and BatchNormalization moving statistics are set to seeded random values, and the
//         reference is tfjs's model.predict.
//   hand  Keras layers or options tfjs lacks (hand_cases.js: Subtract, SeparableConv1D,
//         ZeroPadding1D, Cropping1D, UpSampling1D, Normalization, Conv2D groups, GRU
//         reset_after=True, ReLU negative_slope / threshold, hard_swish / exponential / silu,
//         Keras 3 hard_sigmoid, keepdims pooling, ...): a hand-written Keras-2-style config
//         (Keras 3 where the formula differs) with the reference computed there with plain JS
//         math or tfjs ops, independently of tflc.
// `google_ops` lists the operators Google's TFLite converter emits for the case's model (where
// known, from how Keras computes the layer): run_cases.sh checks that tflc emits no more
// operators and no other op types. "A|B" is an entry tflc may fill with an equivalent op B (one
// for one) where tflc's runtime lacks A or B is cheaper. `runtime_ops` lists ops Google's form
// needs that tflc's runtime may lack: tflc then emits a longer equivalent and the op check waits
// until src/base/ops.def has them.
// FILTER (substrings) restricts the cases written. Deterministic: every case seeds its own PRNG
// from its name.
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs'); // pure JS: tfjs-core + tfjs-layers + the CPU backend
const tfl = tf;
const npy = require('../oracle/npy.js');

// ---------------------------------------------------------------- seeded random numbers
function hashName(s) {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
function prng(seed) { // mulberry32
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const prod = (s) => s.reduce((a, b) => a * b, 1);
function uniform(rnd, shape, lo, hi) {
  const v = new Float32Array(prod(shape));
  for (let i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * rnd();
  return v;
}

// Random values for a weight, by its name: positive variances and scales, small kernels.
function weightValues(rnd, name, shape) {
  if (/moving_variance$|\/variance$/.test(name)) return uniform(rnd, shape, 0.3, 1.6);
  if (/gamma$/.test(name)) return uniform(rnd, shape, 0.5, 1.5);
  if (/moving_mean$|beta$|bias$/.test(name)) return uniform(rnd, shape, -0.5, 0.5);
  if (/alpha$/.test(name)) return uniform(rnd, shape, 0.05, 0.6);
  const fanIn = shape.length >= 2 ? prod(shape.slice(0, -1)) : 1;
  const s = Math.min(0.7, 2.0 / Math.sqrt(Math.max(fanIn, 1)));
  return uniform(rnd, shape, -s, s);
}

// ---------------------------------------------------------------- case registry
const cases = [];
// tfjs case: build() returns a tfjs LayersModel; inputs: [{shape (with batch 1), lo, hi, int}]
function T(name, layers, build, inputs, opts = {}) {
  cases.push({ name, layers, kind: 'tfjs', build, inputs, ...opts });
}
// hand case: make(rnd) returns {config, weights: [[name, shape, Float32Array]], inputs:
// [{data, shape, dtype}], outputs: [{data, shape}], kerasVersion}
function H(name, layers, make, opts = {}) {
  cases.push({ name, layers, kind: 'hand', make, ...opts });
}

const L = tfl.layers;
const seq = (layers) => tfl.sequential({ layers });
const inp = (shape, opts = {}) => tfl.input({ shape, ...opts });

// ---------------------------------------------------------------- core
T('input_layer_dense', ['InputLayer', 'Dense'], () => seq([L.inputLayer({ inputShape: [6], name: 'x' }),
  L.dense({ units: 5, name: 'dense' })]), [{ shape: [1, 6] }], { google_ops: ['FULLY_CONNECTED'] });
T('dense_relu', ['Dense'], () => seq([L.dense({ units: 4, inputShape: [7], activation: 'relu', name: 'd' })]),
  [{ shape: [1, 7] }], { google_ops: ['FULLY_CONNECTED'] });
T('dense_nobias', ['Dense'], () => seq([L.dense({ units: 3, inputShape: [5], useBias: false, name: 'd' })]),
  [{ shape: [1, 5] }], { google_ops: ['FULLY_CONNECTED'] });
T('dense_rank3', ['Dense'], () => seq([L.dense({ units: 3, inputShape: [4, 6], activation: 'relu6', name: 'd' })]),
  [{ shape: [1, 4, 6] }], { google_ops: ['FULLY_CONNECTED'] });
T('dense_rank4', ['Dense'], () => seq([L.dense({ units: 2, inputShape: [2, 3, 5], name: 'd' })]),
  [{ shape: [1, 2, 3, 5] }], { google_ops: ['FULLY_CONNECTED'] });
T('dense_stack', ['Dense'], () => seq([L.dense({ units: 8, inputShape: [5], activation: 'relu', name: 'd1' }),
  L.dense({ units: 6, activation: 'tanh', name: 'd2' }), L.dense({ units: 3, activation: 'softmax', name: 'd3' })]),
  [{ shape: [1, 5] }], { google_ops: ['FULLY_CONNECTED', 'FULLY_CONNECTED', 'TANH', 'FULLY_CONNECTED', 'SOFTMAX'] });

// Activations: every string, as an Activation layer and as Dense's argument.
const ACTS = {
  relu: ['RELU'], relu6: ['RELU6'], sigmoid: ['LOGISTIC'], tanh: ['TANH'], softmax: ['SOFTMAX'], elu: ['ELU'],
  selu: null, softplus: null, softsign: ['ABS', 'ADD', 'DIV'], swish: ['LOGISTIC', 'MUL'], gelu: ['GELU'],
  hardSigmoid: ['MUL', 'ADD', 'MINIMUM', 'MAXIMUM'], linear: [],
};
for (const [a, ops] of Object.entries(ACTS)) {
  const sn = a === 'hardSigmoid' ? 'hard_sigmoid' : a;
  T(`activation_${sn}`, ['Activation'], () => seq([L.activation({ activation: a, inputShape: [3, 5], name: 'act' })]),
    [{ shape: [1, 3, 5], lo: -4, hi: 4 }], { google_ops: ops && (a === 'linear' ? null : ops) });
  const fused = ['relu', 'relu6'].includes(a);
  T(`dense_act_${sn}`, ['Dense'], () => seq([L.dense({ units: 6, inputShape: [4], activation: a, name: 'd' })]),
    [{ shape: [1, 4], lo: -3, hi: 3 }], { google_ops: ops && ['FULLY_CONNECTED', ...(fused ? [] : ops)] });
}

// ReLU family.
T('relu_layer', ['ReLU'], () => seq([L.reLU({ inputShape: [8], name: 'r' })]), [{ shape: [1, 8] }], { google_ops: ['RELU'] });
T('relu_max6', ['ReLU'], () => seq([L.reLU({ maxValue: 6, inputShape: [8], name: 'r' })]), [{ shape: [1, 8], lo: -9, hi: 9 }],
  { google_ops: ['RELU6'] });
T('relu_max2_5', ['ReLU'], () => seq([L.reLU({ maxValue: 2.5, inputShape: [8], name: 'r' })]), [{ shape: [1, 8], lo: -5, hi: 5 }],
  { google_ops: ['RELU', 'MINIMUM', 'MAXIMUM'] });
T('dense_then_relu', ['Dense', 'ReLU'], () => seq([L.dense({ units: 5, inputShape: [4], name: 'd' }), L.reLU({ name: 'r' })]),
  [{ shape: [1, 4] }], { google_ops: ['FULLY_CONNECTED'] });
T('leaky_relu_default', ['LeakyReLU'], () => seq([L.leakyReLU({ inputShape: [3, 4], name: 'l' })]), [{ shape: [1, 3, 4] }],
  { google_ops: ['LEAKY_RELU'] });
T('leaky_relu_alpha', ['LeakyReLU'], () => seq([L.leakyReLU({ alpha: 0.05, inputShape: [6], name: 'l' })]), [{ shape: [1, 6] }],
  { google_ops: ['LEAKY_RELU'] });
T('prelu', ['PReLU'], () => seq([L.prelu({ inputShape: [3, 4], name: 'p' })]), [{ shape: [1, 3, 4] }], { google_ops: ['PRELU'] });
T('prelu_shared_axes', ['PReLU'], () => seq([L.prelu({ inputShape: [3, 3, 2], sharedAxes: [1, 2], name: 'p' })]),
  [{ shape: [1, 3, 3, 2] }], { google_ops: ['PRELU'] });
T('elu_layer', ['ELU'], () => seq([L.elu({ inputShape: [7], name: 'e' })]), [{ shape: [1, 7], lo: -3, hi: 3 }], { google_ops: ['ELU'] });
T('softmax_layer', ['Softmax'], () => seq([L.softmax({ axis: -1, inputShape: [3, 5], name: 's' })]), [{ shape: [1, 3, 5], lo: -3, hi: 3 }],
  { google_ops: ['SOFTMAX'] });
T('softmax_axis1', ['Softmax'], () => seq([L.softmax({ axis: 1, inputShape: [4, 3], name: 's' })]), [{ shape: [1, 4, 3], lo: -3, hi: 3 }],
  { google_ops: ['TRANSPOSE', 'SOFTMAX', 'TRANSPOSE'], reference: (x) => [tf.softmax(x[0].transpose([0, 2, 1])).transpose([0, 2, 1])],
    note: 'tfjs cannot run softmax on a non-last axis: reference by transpose, softmax, transpose' });
T('softmax_axis2_rank4', ['Softmax'], () => seq([L.softmax({ axis: 2, inputShape: [2, 4, 3], name: 's' })]),
  [{ shape: [1, 2, 4, 3], lo: -3, hi: 3 }], { google_ops: ['TRANSPOSE', 'SOFTMAX', 'TRANSPOSE'],
    reference: (x) => [tf.softmax(x[0].transpose([0, 1, 3, 2])).transpose([0, 1, 3, 2])],
    note: 'tfjs cannot run softmax on a non-last axis: reference by transpose, softmax, transpose' });

// Merge layers (Functional).
function mergeModel(layer, n, shape) {
  const xs = [];
  for (let i = 0; i < n; i++) xs.push(inp(shape, { name: `in${i}` }));
  return tfl.model({ inputs: xs, outputs: layer.apply(xs) });
}
const ins = (n, shape) => Array.from({ length: n }, () => ({ shape: [1, ...shape] }));
T('add_2', ['Add'], () => mergeModel(L.add({ name: 'm' }), 2, [3, 4]), ins(2, [3, 4]), { google_ops: ['ADD'] });
T('add_3', ['Add'], () => mergeModel(L.add({ name: 'm' }), 3, [5]), ins(3, [5]), { google_ops: ['ADD', 'ADD'] });
T('multiply_2', ['Multiply'], () => mergeModel(L.multiply({ name: 'm' }), 2, [2, 3, 2]), ins(2, [2, 3, 2]), { google_ops: ['MUL'] });
T('multiply_3', ['Multiply'], () => mergeModel(L.multiply({ name: 'm' }), 3, [4]), ins(3, [4]), { google_ops: ['MUL', 'MUL'] });
T('average_2', ['Average'], () => mergeModel(L.average({ name: 'm' }), 2, [6]), ins(2, [6]), { google_ops: ['ADD', 'MUL'] });
T('average_3', ['Average'], () => mergeModel(L.average({ name: 'm' }), 3, [2, 3]), ins(3, [2, 3]), { google_ops: ['ADD', 'ADD', 'MUL'] });
T('maximum_2', ['Maximum'], () => mergeModel(L.maximum({ name: 'm' }), 2, [5]), ins(2, [5]), { google_ops: ['MAXIMUM'] });
T('maximum_3', ['Maximum'], () => mergeModel(L.maximum({ name: 'm' }), 3, [5]), ins(3, [5]), { google_ops: ['MAXIMUM', 'MAXIMUM'] });
T('minimum_2', ['Minimum'], () => mergeModel(L.minimum({ name: 'm' }), 2, [3, 2]), ins(2, [3, 2]), { google_ops: ['MINIMUM'] });
T('concatenate_last', ['Concatenate'], () => {
  const a = inp([3, 2], { name: 'a' }), b = inp([3, 4], { name: 'b' });
  return tfl.model({ inputs: [a, b], outputs: L.concatenate({ name: 'm' }).apply([a, b]) });
}, [{ shape: [1, 3, 2] }, { shape: [1, 3, 4] }], { google_ops: ['CONCATENATION'] });
T('concatenate_axis1', ['Concatenate'], () => {
  const a = inp([2, 3], { name: 'a' }), b = inp([4, 3], { name: 'b' }), c = inp([1, 3], { name: 'c' });
  return tfl.model({ inputs: [a, b, c], outputs: L.concatenate({ axis: 1, name: 'm' }).apply([a, b, c]) });
}, [{ shape: [1, 2, 3] }, { shape: [1, 4, 3] }, { shape: [1, 1, 3] }], { google_ops: ['CONCATENATION'] });
T('dot_rank2', ['Dot'], () => mergeModel(L.dot({ axes: -1, name: 'm' }), 2, [6]), ins(2, [6]), { google_ops: ['MUL', 'SUM'] });
T('dot_rank2_normalize', ['Dot'], () => mergeModel(L.dot({ axes: 1, normalize: true, name: 'm' }), 2, [5]), ins(2, [5]),
  { google_ops: ['L2_NORMALIZATION', 'L2_NORMALIZATION', 'MUL', 'SUM'] });
T('dot_rank3_axes22', ['Dot'], () => {
  const a = inp([3, 4], { name: 'a' }), b = inp([5, 4], { name: 'b' });
  return tfl.model({ inputs: [a, b], outputs: L.dot({ axes: [2, 2], name: 'm' }).apply([a, b]) });
}, [{ shape: [1, 3, 4] }, { shape: [1, 5, 4] }], { google_ops: ['BATCH_MATMUL'] });
T('dot_rank3_axes11', ['Dot'], () => {
  const a = inp([4, 3], { name: 'a' }), b = inp([4, 2], { name: 'b' });
  return tfl.model({ inputs: [a, b], outputs: L.dot({ axes: 1, name: 'm' }).apply([a, b]) });
}, [{ shape: [1, 4, 3] }, { shape: [1, 4, 2] }], { google_ops: ['BATCH_MATMUL'] });
T('dot_rank3_axes21', ['Dot'], () => {
  const a = inp([3, 4], { name: 'a' }), b = inp([4, 2], { name: 'b' });
  return tfl.model({ inputs: [a, b], outputs: L.dot({ axes: [2, 1], name: 'm' }).apply([a, b]) });
}, [{ shape: [1, 3, 4] }, { shape: [1, 4, 2] }], { google_ops: ['BATCH_MATMUL'] });
T('dot_normalize', ['Dot'], () => {
  const a = inp([3, 4], { name: 'a' }), b = inp([5, 4], { name: 'b' });
  return tfl.model({ inputs: [a, b], outputs: L.dot({ axes: 2, normalize: true, name: 'm' }).apply([a, b]) });
}, [{ shape: [1, 3, 4] }, { shape: [1, 5, 4] }], { google_ops: ['L2_NORMALIZATION', 'L2_NORMALIZATION', 'BATCH_MATMUL'] });
T('dot_normalize_axes11', ['Dot'], () => {
  const a = inp([4, 3], { name: 'a' }), b = inp([4, 2], { name: 'b' });
  return tfl.model({ inputs: [a, b], outputs: L.dot({ axes: 1, normalize: true, name: 'm' }).apply([a, b]) });
}, [{ shape: [1, 4, 3] }, { shape: [1, 4, 2] }]);

// Activation fusion into merge ops and pools.
T('add_relu6_fused', ['Add', 'ReLU'], () => {
  const a = inp([2, 3], { name: 'a' }), b = inp([2, 3], { name: 'b' });
  return tfl.model({ inputs: [a, b], outputs: L.reLU({ maxValue: 6, name: 'r' }).apply(L.add({ name: 'm' }).apply([a, b])) });
}, [{ shape: [1, 2, 3], lo: -5, hi: 5 }, { shape: [1, 2, 3], lo: -5, hi: 5 }], { google_ops: ['ADD'] });
T('multiply_relu_fused', ['Multiply', 'Activation'], () => {
  const a = inp([5], { name: 'a' }), b = inp([5], { name: 'b' });
  return tfl.model({ inputs: [a, b], outputs: L.activation({ activation: 'relu', name: 'r' }).apply(L.multiply({ name: 'm' }).apply([a, b])) });
}, ins(2, [5]), { google_ops: ['MUL'] });
T('concatenate_relu', ['Concatenate', 'ReLU'], () => {
  const a = inp([2, 3], { name: 'a' }), b = inp([2, 2], { name: 'b' });
  return tfl.model({ inputs: [a, b], outputs: L.reLU({ name: 'r' }).apply(L.concatenate({ name: 'm' }).apply([a, b])) });
}, [{ shape: [1, 2, 3] }, { shape: [1, 2, 2] }], { google_ops: ['CONCATENATION', 'RELU'],
  note: 'TFLite\'s CONCATENATION kernel refuses a fused activation: the RELU stays' });
T('avgpool_relu6_fused', ['AveragePooling2D', 'ReLU'], () => seq([L.averagePooling2d({ poolSize: 2, inputShape: [4, 4, 2], name: 'p' }),
  L.reLU({ maxValue: 6, name: 'r' })]), [{ shape: [1, 4, 4, 2], lo: -9, hi: 9 }], { google_ops: ['AVERAGE_POOL_2D'] });
T('embedding_lstm', ['Embedding', 'LSTM', 'Dense'], () => seq([L.inputLayer({ inputShape: [6], dtype: 'int32', name: 'ids' }),
  L.embedding({ inputDim: 12, outputDim: 4, name: 'e' }), L.lstm({ units: 5, recurrentActivation: 'sigmoid', name: 'r' }),
  L.dense({ units: 2, activation: 'softmax', name: 'd' })]), [{ shape: [1, 6], int: 12 }],
  { google_ops: ['GATHER', 'UNIDIRECTIONAL_SEQUENCE_LSTM', 'STRIDED_SLICE', 'FULLY_CONNECTED', 'SOFTMAX'] });

// Shape layers.
T('flatten_rank4', ['Flatten', 'Dense'], () => seq([L.flatten({ inputShape: [2, 3, 2], name: 'f' }), L.dense({ units: 3, name: 'd' })]),
  [{ shape: [1, 2, 3, 2] }], { google_ops: ['RESHAPE', 'FULLY_CONNECTED'] });
T('flatten_rank3', ['Flatten'], () => seq([L.flatten({ inputShape: [4, 3], name: 'f' })]), [{ shape: [1, 4, 3] }],
  { google_ops: ['RESHAPE'] });
T('reshape_minus1', ['Reshape'], () => seq([L.dense({ units: 12, inputShape: [5], name: 'd' }), L.reshape({ targetShape: [-1, 3], name: 'r' })]),
  [{ shape: [1, 5] }], { google_ops: ['FULLY_CONNECTED', 'RESHAPE'] });
T('reshape_rank4', ['Reshape'], () => seq([L.reshape({ targetShape: [2, 3, 2], inputShape: [12], name: 'r' })]), [{ shape: [1, 12] }],
  { google_ops: ['RESHAPE'] });
T('reshape_same_noop', ['Dense', 'Reshape'], () => seq([L.dense({ units: 4, inputShape: [2, 3], name: 'd1' }), L.reshape({ targetShape: [2, 4], name: 'r' }),
  L.dense({ units: 2, name: 'd2' })]), [{ shape: [1, 2, 3] }], { google_ops: ['FULLY_CONNECTED', 'FULLY_CONNECTED'] });
T('permute_rank3', ['Permute'], () => seq([L.permute({ dims: [2, 1], inputShape: [3, 4], name: 'p' })]), [{ shape: [1, 3, 4] }],
  { google_ops: ['TRANSPOSE'] });
T('permute_rank4', ['Permute'], () => seq([L.permute({ dims: [3, 1, 2], inputShape: [2, 3, 4], name: 'p' })]), [{ shape: [1, 2, 3, 4] }],
  { google_ops: ['TRANSPOSE'] });
T('repeat_vector', ['RepeatVector'], () => seq([L.repeatVector({ n: 3, inputShape: [4], name: 'r' })]), [{ shape: [1, 4] }]);

// Layers that vanish at inference. SpatialDropout2D and ActivityRegularization (not in tfjs)
// are written as Dropout and renamed in the saved config: both are identities at inference.
const between = (mid) => () => seq([L.dense({ units: 6, inputShape: [2, 4], name: 'd1' }), mid, L.dense({ units: 3, name: 'd2' })]);
const twoFc = ['FULLY_CONNECTED', 'FULLY_CONNECTED'];
T('dropout_first_and_last', ['Dropout', 'Dense'], () => seq([L.dropout({ rate: 0.2, inputShape: [5], name: 'x1' }),
  L.dense({ units: 3, name: 'd' }), L.dropout({ rate: 0.2, name: 'x2' })]), [{ shape: [1, 5] }], { google_ops: ['FULLY_CONNECTED'] });
T('dropout', ['Dropout'], between(L.dropout({ rate: 0.5, name: 'x' })), [{ shape: [1, 2, 4] }], { google_ops: twoFc });
T('spatial_dropout1d', ['SpatialDropout1D'], between(L.spatialDropout1d({ rate: 0.3, name: 'x' })), [{ shape: [1, 2, 4] }],
  { google_ops: twoFc });
T('gaussian_noise', ['GaussianNoise'], between(L.gaussianNoise({ stddev: 0.5, name: 'x' })), [{ shape: [1, 2, 4] }],
  { google_ops: twoFc });
T('gaussian_dropout', ['GaussianDropout'], between(L.gaussianDropout({ rate: 0.3, name: 'x' })), [{ shape: [1, 2, 4] }],
  { google_ops: twoFc });
T('alpha_dropout', ['AlphaDropout'], between(L.alphaDropout({ rate: 0.3, name: 'x' })), [{ shape: [1, 2, 4] }], { google_ops: twoFc });
T('spatial_dropout2d', ['SpatialDropout2D'], () => seq([L.conv2d({ filters: 3, kernelSize: 2, inputShape: [4, 4, 2], name: 'c' }),
  L.dropout({ rate: 0.4, name: 'x' }), L.conv2d({ filters: 2, kernelSize: 1, name: 'c2' })]), [{ shape: [1, 4, 4, 2] }],
  { google_ops: ['CONV_2D', 'CONV_2D'], rename: { x: ['SpatialDropout2D', { rate: 0.4, data_format: 'channels_last' }] },
    note: 'built as Dropout in tfjs (which lacks SpatialDropout2D) and renamed: both are identities at inference' });
T('activity_regularization', ['ActivityRegularization'], between(L.dropout({ rate: 0.1, name: 'x' })), [{ shape: [1, 2, 4] }],
  { google_ops: twoFc, rename: { x: ['ActivityRegularization', { l1: 0.01, l2: 0.02 }] },
    note: 'built as Dropout in tfjs (which lacks ActivityRegularization) and renamed: both are identities at inference' });

// Padding, cropping, upsampling.
T('zero_padding2d_int', ['ZeroPadding2D'], () => seq([L.zeroPadding2d({ padding: 1, inputShape: [3, 3, 2], name: 'z' })]),
  [{ shape: [1, 3, 3, 2] }], { google_ops: ['PAD'] });
T('zero_padding2d_tuple', ['ZeroPadding2D'], () => seq([L.zeroPadding2d({ padding: [2, 1], inputShape: [3, 2, 2], name: 'z' })]),
  [{ shape: [1, 3, 2, 2] }], { google_ops: ['PAD'] });
T('zero_padding2d_asym', ['ZeroPadding2D', 'Conv2D'], () => seq([L.zeroPadding2d({ padding: [[1, 0], [2, 1]], inputShape: [3, 3, 2], name: 'z' }),
  L.conv2d({ filters: 2, kernelSize: 2, name: 'c' })]), [{ shape: [1, 3, 3, 2] }], { google_ops: ['PAD', 'CONV_2D'] });
T('cropping2d_int', ['Cropping2D'], () => seq([L.cropping2D({ cropping: 1, inputShape: [4, 5, 2], name: 'c' })]),
  [{ shape: [1, 4, 5, 2] }], { google_ops: ['STRIDED_SLICE'] });
T('cropping2d_asym', ['Cropping2D'], () => seq([L.cropping2D({ cropping: [[1, 0], [0, 2]], inputShape: [4, 5, 2], name: 'c' })]),
  [{ shape: [1, 4, 5, 2] }], { google_ops: ['STRIDED_SLICE'] });
T('upsampling2d_nearest', ['UpSampling2D'], () => seq([L.upSampling2d({ size: [2, 2], inputShape: [2, 3, 2], name: 'u' })]),
  [{ shape: [1, 2, 3, 2] }], { google_ops: ['RESIZE_NEAREST_NEIGHBOR'] });
T('upsampling2d_nearest_2x3', ['UpSampling2D'], () => seq([L.upSampling2d({ size: [2, 3], inputShape: [3, 2, 2], name: 'u' })]),
  [{ shape: [1, 3, 2, 2] }], { google_ops: ['RESIZE_NEAREST_NEIGHBOR'] });
T('upsampling2d_bilinear', ['UpSampling2D'], () => seq([L.upSampling2d({ size: [2, 2], interpolation: 'bilinear', inputShape: [3, 3, 2], name: 'u' })]),
  [{ shape: [1, 3, 3, 2] }], {
    google_ops: ['RESIZE_BILINEAR'],
    // tfjs resizes without half-pixel centers; Keras (tf.image.resize) uses them.
    reference: (x) => [tf.image.resizeBilinear(x[0], [6, 6], false, true)],
    note: 'reference computed with tf.image.resizeBilinear(halfPixelCenters=true), what Keras does; tfjs\'s layer samples at corners',
  });
T('upsampling2d_bilinear_2x3', ['UpSampling2D'], () => seq([L.upSampling2d({ size: [2, 3], interpolation: 'bilinear', inputShape: [2, 2, 1], name: 'u' })]),
  [{ shape: [1, 2, 2, 1] }], {
    google_ops: ['RESIZE_BILINEAR'],
    reference: (x) => [tf.image.resizeBilinear(x[0], [4, 6], false, true)],
    note: 'reference computed with tf.image.resizeBilinear(halfPixelCenters=true), what Keras does',
  });

// Embedding, Rescaling.
T('embedding_int32', ['InputLayer', 'Embedding'], () => seq([L.inputLayer({ inputShape: [5], dtype: 'int32', name: 'ids' }),
  L.embedding({ inputDim: 10, outputDim: 4, name: 'e' })]),
  [{ shape: [1, 5], int: 10 }], { google_ops: ['GATHER'] });
T('embedding_float_ids', ['Embedding', 'Flatten', 'Dense'], () => seq([L.embedding({ inputDim: 7, outputDim: 3, inputShape: [4], name: 'e' }),
  L.flatten({ name: 'f' }), L.dense({ units: 2, name: 'd' })]), [{ shape: [1, 4], int: 7, asFloat: true }],
  { google_ops: ['CAST', 'GATHER', 'RESHAPE', 'FULLY_CONNECTED'] });
T('rescaling', ['Rescaling'], () => seq([L.rescaling({ scale: 1 / 127.5, offset: -1, inputShape: [2, 2, 3], name: 'r' })]),
  [{ shape: [1, 2, 2, 3], lo: 0, hi: 255 }], { google_ops: ['MUL', 'ADD'] });
T('rescaling_scale_only', ['Rescaling', 'Dense'], () => seq([L.rescaling({ scale: 0.5, inputShape: [4], name: 'r' }),
  L.dense({ units: 2, name: 'd' })]), [{ shape: [1, 4] }], { google_ops: ['MUL', 'FULLY_CONNECTED'] });

// ---------------------------------------------------------------- convolution and pooling
const conv1 = (o) => () => seq([L.conv1d({ filters: 3, kernelSize: 3, inputShape: [8, 2], name: 'c', ...o })]);
const CONV1D_OPS = ['EXPAND_DIMS', 'CONV_2D', 'RESHAPE'];
T('conv1d_valid', ['Conv1D'], conv1({}), [{ shape: [1, 8, 2] }], { google_ops: CONV1D_OPS });
T('conv1d_same', ['Conv1D'], conv1({ padding: 'same' }), [{ shape: [1, 8, 2] }], { google_ops: CONV1D_OPS });
T('conv1d_causal', ['Conv1D'], conv1({ padding: 'causal', dilationRate: 2 }), [{ shape: [1, 8, 2] }], {
  google_ops: ['PAD', ...CONV1D_OPS],
  reference: (x, m) => {
    const [k, b] = m.getLayer('c').getWeights();
    return [tf.conv1d(tf.pad(x[0], [[0, 0], [4, 0], [0, 0]]), k, 1, 'valid', 'NWC', 2).add(b)];
  },
  note: 'tfjs cannot run causal padding: reference by left padding (k-1)*d and a valid tf.conv1d',
});
T('conv1d_stride2', ['Conv1D'], conv1({ strides: 2, activation: 'relu' }), [{ shape: [1, 8, 2] }], { google_ops: CONV1D_OPS });
T('conv1d_dilation2', ['Conv1D'], conv1({ dilationRate: 2, padding: 'same' }), [{ shape: [1, 8, 2] }], { google_ops: CONV1D_OPS });
T('conv1d_nobias_tanh', ['Conv1D'], conv1({ useBias: false, activation: 'tanh' }), [{ shape: [1, 8, 2] }],
  { google_ops: [...CONV1D_OPS, 'TANH'] });
const conv2 = (o, shape = [6, 6, 2]) => () => seq([L.conv2d({ filters: 4, kernelSize: 3, inputShape: shape, name: 'c', ...o })]);
T('conv2d_valid', ['Conv2D'], conv2({}), [{ shape: [1, 6, 6, 2] }], { google_ops: ['CONV_2D'] });
T('conv2d_same', ['Conv2D'], conv2({ padding: 'same' }), [{ shape: [1, 6, 6, 2] }], { google_ops: ['CONV_2D'] });
T('conv2d_stride2_same', ['Conv2D'], conv2({ strides: 2, padding: 'same' }, [7, 6, 2]), [{ shape: [1, 7, 6, 2] }], { google_ops: ['CONV_2D'] });
T('conv2d_stride2_valid', ['Conv2D'], conv2({ strides: 2 }, [7, 7, 2]), [{ shape: [1, 7, 7, 2] }], { google_ops: ['CONV_2D'] });
T('conv2d_stride_1x2', ['Conv2D'], conv2({ strides: [1, 2], kernelSize: [2, 3], padding: 'same' }), [{ shape: [1, 6, 6, 2] }],
  { google_ops: ['CONV_2D'] });
T('conv2d_dilation2', ['Conv2D'], conv2({ dilationRate: 2 }, [7, 7, 2]), [{ shape: [1, 7, 7, 2] }], { google_ops: ['CONV_2D'] });
T('conv2d_dilation_same', ['Conv2D'], conv2({ dilationRate: [2, 1], padding: 'same' }), [{ shape: [1, 6, 6, 2] }], { google_ops: ['CONV_2D'] });
T('conv2d_nobias_relu6', ['Conv2D'], conv2({ useBias: false, activation: 'relu6' }), [{ shape: [1, 6, 6, 2] }], { google_ops: ['CONV_2D'] });
T('conv2d_relu', ['Conv2D'], conv2({ activation: 'relu', padding: 'same' }), [{ shape: [1, 6, 6, 2] }], { google_ops: ['CONV_2D'] });
T('conv2d_sigmoid', ['Conv2D'], conv2({ activation: 'sigmoid' }), [{ shape: [1, 6, 6, 2] }], { google_ops: ['CONV_2D', 'LOGISTIC'] });
const dw = (o, shape = [6, 6, 3]) => () => seq([L.depthwiseConv2d({ kernelSize: 3, inputShape: shape, name: 'dw', ...o })]);
T('depthwise_mult1', ['DepthwiseConv2D'], dw({}), [{ shape: [1, 6, 6, 3] }], { google_ops: ['DEPTHWISE_CONV_2D'] });
T('depthwise_mult2', ['DepthwiseConv2D'], dw({ depthMultiplier: 2 }), [{ shape: [1, 6, 6, 3] }], { google_ops: ['DEPTHWISE_CONV_2D'] });
T('depthwise_same_stride2', ['DepthwiseConv2D'], dw({ padding: 'same', strides: 2, activation: 'relu6' }, [7, 6, 3]),
  [{ shape: [1, 7, 6, 3] }], { google_ops: ['DEPTHWISE_CONV_2D'] });
T('depthwise_dilation2', ['DepthwiseConv2D'], dw({ dilationRate: 2 }, [7, 7, 2]), [{ shape: [1, 7, 7, 2] }], {
  google_ops: ['DEPTHWISE_CONV_2D'],
  reference: (x, m) => {
    const [k, b] = m.getLayer('dw').getWeights();
    return [tf.depthwiseConv2d(x[0], k, 1, 'valid', 'NHWC', 2).add(b)];
  },
  note: 'tfjs\'s DepthwiseConv2D layer ignores dilation_rate: reference by tf.depthwiseConv2d with dilations',
});
T('depthwise_nobias_relu', ['DepthwiseConv2D'], dw({ useBias: false, activation: 'relu', kernelSize: [2, 3] }), [{ shape: [1, 6, 6, 3] }],
  { google_ops: ['DEPTHWISE_CONV_2D'] });
const sep = (o, shape = [6, 6, 3]) => () => seq([L.separableConv2d({ filters: 4, kernelSize: 3, inputShape: shape, name: 'sc', ...o })]);
const SEP_OPS = ['DEPTHWISE_CONV_2D', 'CONV_2D'];
T('separable_conv2d', ['SeparableConv2D'], sep({}), [{ shape: [1, 6, 6, 3] }], { google_ops: SEP_OPS });
T('separable_conv2d_mult2_same', ['SeparableConv2D'], sep({ depthMultiplier: 2, padding: 'same', activation: 'relu' }),
  [{ shape: [1, 6, 6, 3] }], { google_ops: SEP_OPS });
T('separable_conv2d_stride2', ['SeparableConv2D'], sep({ strides: 2 }, [7, 7, 2]), [{ shape: [1, 7, 7, 2] }], { google_ops: SEP_OPS });
T('separable_conv2d_dilation_nobias', ['SeparableConv2D'], sep({ dilationRate: 2, useBias: false }, [7, 7, 2]), [{ shape: [1, 7, 7, 2] }],
  { google_ops: SEP_OPS });
const tconv = (o, shape = [3, 3, 2]) => () => seq([L.conv2dTranspose({ filters: 3, kernelSize: 3, inputShape: shape, name: 't', ...o })]);
T('conv2d_transpose_valid', ['Conv2DTranspose'], tconv({}), [{ shape: [1, 3, 3, 2] }], { google_ops: ['TRANSPOSE_CONV'] });
T('conv2d_transpose_same_s2', ['Conv2DTranspose'], tconv({ strides: 2, padding: 'same' }), [{ shape: [1, 3, 3, 2] }],
  { google_ops: ['TRANSPOSE_CONV'] });
T('conv2d_transpose_valid_s2', ['Conv2DTranspose'], tconv({ strides: 2 }, [3, 4, 2]), [{ shape: [1, 3, 4, 2] }], { google_ops: ['TRANSPOSE_CONV'] });
T('conv2d_transpose_k2s2_relu', ['Conv2DTranspose'], tconv({ strides: 2, kernelSize: 2, activation: 'relu', padding: 'same' }),
  [{ shape: [1, 3, 3, 2] }], { google_ops: ['TRANSPOSE_CONV', 'RELU'] });
T('conv2d_transpose_k2s3_valid', ['Conv2DTranspose'], tconv({ kernelSize: 2, strides: 3 }), [{ shape: [1, 3, 3, 2] }],
  { google_ops: ['TRANSPOSE_CONV'], note: 'kernel smaller than the stride: Keras makes the output in*stride' });
T('conv2d_transpose_nobias', ['Conv2DTranspose'], tconv({ useBias: false, kernelSize: [2, 3], strides: [1, 2] }), [{ shape: [1, 3, 3, 2] }],
  { google_ops: ['TRANSPOSE_CONV'] });

const POOL1D_OPS = (op) => ['EXPAND_DIMS', op, 'RESHAPE'];
T('max_pooling1d', ['MaxPooling1D'], () => seq([L.maxPooling1d({ inputShape: [7, 3], name: 'p' })]), [{ shape: [1, 7, 3] }],
  { google_ops: POOL1D_OPS('MAX_POOL_2D') });
T('max_pooling1d_same_s1', ['MaxPooling1D'], () => seq([L.maxPooling1d({ poolSize: 3, strides: 1, padding: 'same', inputShape: [6, 2], name: 'p' })]),
  [{ shape: [1, 6, 2] }], { google_ops: POOL1D_OPS('MAX_POOL_2D') });
T('average_pooling1d', ['AveragePooling1D'], () => seq([L.averagePooling1d({ poolSize: 3, inputShape: [7, 3], name: 'p' })]),
  [{ shape: [1, 7, 3] }], { google_ops: POOL1D_OPS('AVERAGE_POOL_2D') });
T('average_pooling1d_same', ['AveragePooling1D'], () => seq([L.averagePooling1d({ poolSize: 3, strides: 2, padding: 'same', inputShape: [6, 2], name: 'p' })]),
  [{ shape: [1, 6, 2] }], { google_ops: POOL1D_OPS('AVERAGE_POOL_2D') });
T('max_pooling2d', ['MaxPooling2D'], () => seq([L.maxPooling2d({ inputShape: [5, 4, 2], name: 'p' })]), [{ shape: [1, 5, 4, 2] }],
  { google_ops: ['MAX_POOL_2D'] });
T('max_pooling2d_3x3_s2_same', ['MaxPooling2D'], () => seq([L.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same', inputShape: [5, 6, 2], name: 'p' })]),
  [{ shape: [1, 5, 6, 2] }], { google_ops: ['MAX_POOL_2D'] });
T('average_pooling2d', ['AveragePooling2D'], () => seq([L.averagePooling2d({ poolSize: [2, 3], inputShape: [4, 6, 2], name: 'p' })]),
  [{ shape: [1, 4, 6, 2] }], { google_ops: ['AVERAGE_POOL_2D'] });
T('average_pooling2d_same', ['AveragePooling2D'], () => seq([L.averagePooling2d({ poolSize: 3, strides: 1, padding: 'same', inputShape: [4, 4, 2], name: 'p' })]),
  [{ shape: [1, 4, 4, 2] }], { google_ops: ['AVERAGE_POOL_2D'] });
T('conv2d_relu_maxpool', ['Conv2D', 'MaxPooling2D'], () => seq([L.conv2d({ filters: 3, kernelSize: 3, inputShape: [6, 6, 2], name: 'c' }),
  L.maxPooling2d({ name: 'p' }), L.reLU({ name: 'r' })]), [{ shape: [1, 6, 6, 2] }], { google_ops: ['CONV_2D', 'MAX_POOL_2D'] });
T('global_average_pooling1d', ['GlobalAveragePooling1D'], () => seq([L.globalAveragePooling1d({ inputShape: [5, 3], name: 'g' })]),
  [{ shape: [1, 5, 3] }], { google_ops: ['MEAN'] });
T('global_max_pooling1d', ['GlobalMaxPooling1D'], () => seq([L.globalMaxPooling1d({ inputShape: [5, 3], name: 'g' })]),
  [{ shape: [1, 5, 3] }], { google_ops: ['REDUCE_MAX'] });
T('global_average_pooling2d', ['GlobalAveragePooling2D'], () => seq([L.globalAveragePooling2d({ inputShape: [3, 4, 2], name: 'g' })]),
  [{ shape: [1, 3, 4, 2] }], { google_ops: ['MEAN'] });
T('global_max_pooling2d', ['GlobalMaxPooling2D'], () => seq([L.globalMaxPooling2d({ inputShape: [3, 4, 2], name: 'g' })]),
  [{ shape: [1, 3, 4, 2] }], { google_ops: ['REDUCE_MAX'] });

// ---------------------------------------------------------------- normalization
T('batchnorm_after_conv', ['Conv2D', 'BatchNormalization'], () => seq([L.conv2d({ filters: 3, kernelSize: 3, inputShape: [5, 5, 2], name: 'c' }),
  L.batchNormalization({ name: 'bn' })]), [{ shape: [1, 5, 5, 2] }], { google_ops: ['CONV_2D'] });
T('batchnorm_after_conv_nobias_relu', ['Conv2D', 'BatchNormalization', 'ReLU'], () => seq([
  L.conv2d({ filters: 3, kernelSize: 3, useBias: false, inputShape: [5, 5, 2], name: 'c' }),
  L.batchNormalization({ name: 'bn' }), L.reLU({ name: 'r' })]), [{ shape: [1, 5, 5, 2] }], { google_ops: ['CONV_2D'] });
T('batchnorm_after_dense', ['Dense', 'BatchNormalization'], () => seq([L.dense({ units: 4, inputShape: [6], name: 'd' }),
  L.batchNormalization({ name: 'bn' })]), [{ shape: [1, 6] }], { google_ops: ['FULLY_CONNECTED'] });
T('batchnorm_after_depthwise', ['DepthwiseConv2D', 'BatchNormalization'], () => seq([L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, inputShape: [5, 5, 2], name: 'dw' }),
  L.batchNormalization({ name: 'bn' }), L.activation({ activation: 'relu6', name: 'a' })]), [{ shape: [1, 5, 5, 2] }],
  { google_ops: ['DEPTHWISE_CONV_2D'] });
T('batchnorm_after_conv_act', ['Conv2D', 'BatchNormalization'], () => seq([L.conv2d({ filters: 3, kernelSize: 3, activation: 'relu', inputShape: [5, 5, 2], name: 'c' }),
  L.batchNormalization({ name: 'bn' })]), [{ shape: [1, 5, 5, 2] }], { google_ops: ['CONV_2D', 'MUL', 'ADD'],
  note: 'not foldable: the activation sits between the conv and the batch norm' });
T('batchnorm_first_rank4', ['BatchNormalization'], () => seq([L.batchNormalization({ inputShape: [3, 3, 4], name: 'bn' })]),
  [{ shape: [1, 3, 3, 4] }], { google_ops: ['MUL', 'ADD'], note: 'first layer: nothing to fold into' });
T('batchnorm_first_rank2', ['BatchNormalization', 'Dense'], () => seq([L.batchNormalization({ inputShape: [5], name: 'bn' }),
  L.dense({ units: 3, name: 'd' })]), [{ shape: [1, 5] }], { google_ops: ['MUL', 'ADD', 'FULLY_CONNECTED'] });
T('batchnorm_no_center_scale', ['Conv2D', 'BatchNormalization'], () => seq([L.conv2d({ filters: 2, kernelSize: 2, inputShape: [4, 4, 2], name: 'c' }),
  L.batchNormalization({ center: false, scale: false, epsilon: 0.01, name: 'bn' })]), [{ shape: [1, 4, 4, 2] }], { google_ops: ['CONV_2D'] });
T('batchnorm_axis1_rank3', ['BatchNormalization'], () => seq([L.batchNormalization({ axis: 1, inputShape: [4, 3], name: 'bn' })]),
  [{ shape: [1, 4, 3] }], {
    google_ops: ['MUL', 'ADD'],
    reference: (x, m) => {
      const [g, b, mu, v] = m.getLayer('bn').getWeights().map((w) => w.reshape([4, 1]));
      return [x[0].sub(mu).mul(tf.rsqrt(v.add(1e-3))).mul(g).add(b)];
    },
    note: 'tfjs\'s BatchNormalization is wrong on a non-last axis: reference by Keras\'s formula',
  });
T('batchnorm_axis1_after_conv', ['Conv2D', 'BatchNormalization'], () => seq([L.conv2d({ filters: 2, kernelSize: 2, inputShape: [4, 4, 2], name: 'c' }),
  L.batchNormalization({ axis: 1, name: 'bn' })]), [{ shape: [1, 4, 4, 2] }], {
    google_ops: ['CONV_2D', 'MUL', 'ADD'],
    reference: (x, m) => {
      const y = m.getLayer('c').apply(x[0]);
      const [g, b, mu, v] = m.getLayer('bn').getWeights().map((w) => w.reshape([3, 1, 1]));
      return [y.sub(mu).mul(tf.rsqrt(v.add(1e-3))).mul(g).add(b)];
    },
    note: 'normalizes rows, not channels: not foldable into the conv (tfjs is wrong on a non-last axis: reference by Keras\'s formula)',
  });
T('batchnorm_conv_shared_output', ['Conv2D', 'BatchNormalization', 'Add'], () => {
  const x = inp([4, 4, 2], { name: 'x' });
  const c = L.conv2d({ filters: 2, kernelSize: 1, name: 'c' }).apply(x);
  const b = L.batchNormalization({ name: 'bn' }).apply(c);
  return tfl.model({ inputs: x, outputs: L.add({ name: 'a' }).apply([c, b]) });
}, [{ shape: [1, 4, 4, 2] }], { google_ops: ['CONV_2D', 'MUL', 'ADD', 'ADD'], note: 'the conv output has a second reader: not foldable' });
T('batchnorm_after_conv1d', ['Conv1D', 'BatchNormalization'], () => seq([L.conv1d({ filters: 3, kernelSize: 3, inputShape: [7, 2], name: 'c' }),
  L.batchNormalization({ name: 'bn' }), L.reLU({ name: 'r' })]), [{ shape: [1, 7, 2] }], { google_ops: ['EXPAND_DIMS', 'CONV_2D', 'RESHAPE'] });
T('batchnorm_after_separable', ['SeparableConv2D', 'BatchNormalization'], () => seq([L.separableConv2d({ filters: 4, kernelSize: 3, useBias: false,
  inputShape: [5, 5, 2], name: 'sc' }), L.batchNormalization({ name: 'bn' })]), [{ shape: [1, 5, 5, 2] }], { google_ops: ['DEPTHWISE_CONV_2D', 'CONV_2D'] });
T('batchnorm_after_dense_rank3', ['Dense', 'BatchNormalization'], () => seq([L.dense({ units: 4, inputShape: [3, 5], name: 'd' }),
  L.batchNormalization({ name: 'bn' })]), [{ shape: [1, 3, 5] }], { google_ops: ['FULLY_CONNECTED'] });
T('layer_norm_rank2', ['LayerNormalization'], () => seq([L.layerNormalization({ inputShape: [6], name: 'ln' })]), [{ shape: [1, 6] }]);
T('layer_norm_rank3', ['Dense', 'LayerNormalization'], () => seq([L.dense({ units: 5, inputShape: [3, 4], name: 'd' }),
  L.layerNormalization({ epsilon: 1e-5, name: 'ln' })]), [{ shape: [1, 3, 4] }]);
T('layer_norm_no_center_scale', ['LayerNormalization'], () => seq([L.layerNormalization({ center: false, scale: false, inputShape: [2, 5], name: 'ln' })]),
  [{ shape: [1, 2, 5] }]);

// ---------------------------------------------------------------- recurrent
const rnnIn = [{ shape: [1, 5, 3] }];
for (const [cls, mk] of [['LSTM', L.lstm], ['GRU', L.gru], ['SimpleRNN', L.simpleRNN]]) {
  const lc = cls.toLowerCase();
  for (const [suffix, o] of [['last', {}], ['seq', { returnSequences: true }], ['backwards', { goBackwards: true }],
    ['backwards_seq', { goBackwards: true, returnSequences: true }]]) {
    T(`${lc}_${suffix}`, [cls], () => seq([mk({ units: 4, inputShape: [5, 3], name: 'r', ...o })]), rnnIn);
  }
}
T('lstm_sigmoid_last', ['LSTM'], () => seq([L.lstm({ units: 4, recurrentActivation: 'sigmoid', inputShape: [5, 3], name: 'r' })]), rnnIn,
  { google_ops: ['UNIDIRECTIONAL_SEQUENCE_LSTM', 'STRIDED_SLICE'] });
T('lstm_sigmoid_seq', ['LSTM'], () => seq([L.lstm({ units: 4, recurrentActivation: 'sigmoid', returnSequences: true, inputShape: [5, 3], name: 'r' })]),
  rnnIn, { google_ops: ['UNIDIRECTIONAL_SEQUENCE_LSTM'] });
T('lstm_sigmoid_backwards_seq', ['LSTM'], () => seq([L.lstm({ units: 3, recurrentActivation: 'sigmoid', returnSequences: true, goBackwards: true,
  inputShape: [5, 3], name: 'r' })]), rnnIn, { google_ops: ['REVERSE_V2|GATHER', 'UNIDIRECTIONAL_SEQUENCE_LSTM'] });
T('lstm_sigmoid_relu_nobias', ['LSTM'], () => seq([L.lstm({ units: 3, recurrentActivation: 'sigmoid', activation: 'relu', useBias: false,
  inputShape: [5, 3], name: 'r' })]), rnnIn);
T('lstm_stacked', ['LSTM'], () => seq([L.lstm({ units: 4, recurrentActivation: 'sigmoid', returnSequences: true, inputShape: [5, 3], name: 'r1' }),
  L.lstm({ units: 3, recurrentActivation: 'sigmoid', name: 'r2' })]), rnnIn);
T('gru_sigmoid_seq', ['GRU'], () => seq([L.gru({ units: 4, recurrentActivation: 'sigmoid', returnSequences: true, inputShape: [5, 3], name: 'r' })]), rnnIn);
T('gru_nobias', ['GRU'], () => seq([L.gru({ units: 3, useBias: false, inputShape: [5, 3], name: 'r' })]), rnnIn);
T('simple_rnn_relu', ['SimpleRNN'], () => seq([L.simpleRNN({ units: 4, activation: 'relu', returnSequences: true, inputShape: [5, 3], name: 'r' })]), rnnIn);
T('simple_rnn_stateful_false', ['SimpleRNN'], () => seq([L.simpleRNN({ units: 4, stateful: false, useBias: false, inputShape: [5, 3], name: 'r' })]), rnnIn);
for (const [cls, mk] of [['LSTM', L.lstm], ['GRU', L.gru], ['SimpleRNN', L.simpleRNN]]) {
  const lc = cls.toLowerCase();
  for (const mode of ['concat', 'sum', 'mul', 'ave']) {
    for (const rs of [false, true]) {
      if (cls !== 'LSTM' && rs === (mode === 'sum' || mode === 'ave')) continue; // a subset is enough
      T(`bidirectional_${lc}_${mode}${rs ? '_seq' : ''}`, ['Bidirectional', cls], () => seq([L.bidirectional({
        layer: mk({ units: 3, returnSequences: rs, ...(cls === 'LSTM' ? { recurrentActivation: 'sigmoid' } : {}) }),
        mergeMode: mode, inputShape: [4, 3], name: 'bi' })]), [{ shape: [1, 4, 3] }]);
    }
  }
}
T('bidirectional_lstm_none', ['Bidirectional', 'LSTM'], () => {
  const x = inp([4, 3], { name: 'x' });
  const o = L.bidirectional({ layer: L.lstm({ units: 3, recurrentActivation: 'sigmoid', returnSequences: true }), mergeMode: null, name: 'bi' }).apply(x);
  return tfl.model({ inputs: x, outputs: o });
}, [{ shape: [1, 4, 3] }], { note: 'merge_mode None: two outputs (forward, backward)' });
T('time_distributed_dense', ['TimeDistributed', 'Dense'], () => seq([L.timeDistributed({ layer: L.dense({ units: 3, activation: 'relu' }),
  inputShape: [4, 5], name: 'td' })]), [{ shape: [1, 4, 5] }], { google_ops: ['RESHAPE', 'FULLY_CONNECTED', 'RESHAPE'] });
T('time_distributed_dense_rank4', ['TimeDistributed', 'Dense'], () => seq([L.timeDistributed({ layer: L.dense({ units: 2, activation: 'tanh' }),
  inputShape: [3, 2, 4], name: 'td' })]), [{ shape: [1, 3, 2, 4] }], { google_ops: ['RESHAPE', 'FULLY_CONNECTED', 'TANH', 'RESHAPE'] });
T('time_distributed_reshape_permute', ['TimeDistributed', 'Reshape', 'Permute'], () => seq([
  L.timeDistributed({ layer: L.reshape({ targetShape: [4, 2] }), inputShape: [3, 8], name: 'td1' }),
  L.timeDistributed({ layer: L.permute({ dims: [2, 1] }), name: 'td2' })]), [{ shape: [1, 3, 8] }],
  { google_ops: ['RESHAPE', 'RESHAPE', 'RESHAPE', 'TRANSPOSE', 'RESHAPE'] });
T('time_distributed_flatten', ['TimeDistributed', 'Flatten'], () => seq([L.timeDistributed({ layer: L.flatten(),
  inputShape: [3, 2, 4], name: 'td' })]), [{ shape: [1, 3, 2, 4] }], { google_ops: ['RESHAPE', 'RESHAPE', 'RESHAPE'] });
T('time_distributed_conv2d', ['TimeDistributed', 'Conv2D'], () => seq([L.timeDistributed({ layer: L.conv2d({ filters: 2, kernelSize: 2 }),
  inputShape: [3, 4, 4, 2], name: 'td' })]), [{ shape: [1, 3, 4, 4, 2] }], { google_ops: ['RESHAPE', 'CONV_2D', 'RESHAPE'] });

// ---------------------------------------------------------------- functional models
T('functional_two_inputs', ['InputLayer', 'Dense', 'Concatenate'], () => {
  const a = inp([4], { name: 'a' }), b = inp([3], { name: 'b' });
  const h = L.concatenate({ name: 'cat' }).apply([L.dense({ units: 3, activation: 'relu', name: 'da' }).apply(a), b]);
  return tfl.model({ inputs: [a, b], outputs: L.dense({ units: 2, name: 'out' }).apply(h) });
}, [{ shape: [1, 4] }, { shape: [1, 3] }], { google_ops: ['FULLY_CONNECTED', 'CONCATENATION', 'FULLY_CONNECTED'] });
T('functional_two_outputs', ['Dense'], () => {
  const x = inp([5], { name: 'x' });
  const h = L.dense({ units: 4, activation: 'tanh', name: 'h' }).apply(x);
  return tfl.model({ inputs: x, outputs: [L.dense({ units: 2, name: 'o1' }).apply(h), L.dense({ units: 3, activation: 'softmax', name: 'o2' }).apply(h)] });
}, [{ shape: [1, 5] }], { google_ops: ['FULLY_CONNECTED', 'TANH', 'FULLY_CONNECTED', 'FULLY_CONNECTED', 'SOFTMAX'] });
T('functional_shared_layer', ['Dense', 'Add'], () => {
  const a = inp([4], { name: 'a' }), b = inp([4], { name: 'b' });
  const shared = L.dense({ units: 3, name: 'shared' });
  return tfl.model({ inputs: [a, b], outputs: L.add({ name: 'sum' }).apply([shared.apply(a), shared.apply(b)]) });
}, [{ shape: [1, 4] }, { shape: [1, 4] }], { google_ops: ['FULLY_CONNECTED', 'FULLY_CONNECTED', 'ADD'] });
T('functional_shared_layer_chain', ['Dense'], () => {
  const x = inp([3], { name: 'x' });
  const shared = L.dense({ units: 3, activation: 'tanh', name: 'shared' });
  return tfl.model({ inputs: x, outputs: shared.apply(shared.apply(x)) });
}, [{ shape: [1, 3] }]);
T('functional_nested_sequential', ['Sequential', 'Dense', 'Conv2D'], () => {
  const inner = seq([L.conv2d({ filters: 2, kernelSize: 3, inputShape: [5, 5, 1], name: 'ic' }), L.flatten({ name: 'if' }),
    L.dense({ units: 3, name: 'id' })]);
  const x = inp([5, 5, 1], { name: 'x' });
  return tfl.model({ inputs: x, outputs: L.activation({ activation: 'sigmoid', name: 'act' }).apply(inner.apply(x)) });
}, [{ shape: [1, 5, 5, 1] }], { google_ops: ['CONV_2D', 'RESHAPE', 'FULLY_CONNECTED', 'LOGISTIC'] });
T('sequential_nested_functional', ['Functional', 'Dense'], () => {
  const a = inp([4], { name: 'a' });
  const inner = tfl.model({ inputs: a, outputs: L.dense({ units: 3, activation: 'relu', name: 'id' }).apply(a), name: 'inner' });
  return seq([inner, L.dense({ units: 2, name: 'd' })]);
}, [{ shape: [1, 4] }], { google_ops: ['FULLY_CONNECTED', 'FULLY_CONNECTED'] });
T('functional_nested_model_twice', ['Sequential', 'Dense', 'Add'], () => {
  const inner = seq([L.dense({ units: 4, activation: 'relu', inputShape: [3], name: 'id1' }), L.dense({ units: 2, name: 'id2' })]);
  const a = inp([3], { name: 'a' }), b = inp([3], { name: 'b' });
  return tfl.model({ inputs: [a, b], outputs: L.add({ name: 'sum' }).apply([inner.apply(a), inner.apply(b)]) });
}, [{ shape: [1, 3] }, { shape: [1, 3] }], { google_ops: ['FULLY_CONNECTED', 'FULLY_CONNECTED', 'FULLY_CONNECTED', 'FULLY_CONNECTED', 'ADD'],
  note: 'one nested Sequential called on two inputs (shared weights)' });
T('functional_nested_functional', ['Functional', 'Dense', 'Concatenate'], () => {
  const i1 = inp([4], { name: 'i1' }), i2 = inp([2], { name: 'i2' });
  const inner = tfl.model({ inputs: [i1, i2], outputs: L.concatenate({ name: 'ic' }).apply([L.dense({ units: 3, name: 'id' }).apply(i1), i2]), name: 'inner' });
  const a = inp([4], { name: 'a' }), b = inp([2], { name: 'b' });
  return tfl.model({ inputs: [a, b], outputs: L.dense({ units: 2, activation: 'sigmoid', name: 'out' }).apply(inner.apply([a, b])) });
}, [{ shape: [1, 4] }, { shape: [1, 2] }], { google_ops: ['FULLY_CONNECTED', 'CONCATENATION', 'FULLY_CONNECTED', 'LOGISTIC'] });
T('functional_resnet_block', ['Conv2D', 'BatchNormalization', 'Add', 'ReLU'], () => {
  const x = inp([4, 4, 3], { name: 'x' });
  let h = L.conv2d({ filters: 3, kernelSize: 3, padding: 'same', useBias: false, name: 'c1' }).apply(x);
  h = L.batchNormalization({ name: 'bn1' }).apply(h);
  h = L.reLU({ name: 'r1' }).apply(h);
  h = L.conv2d({ filters: 3, kernelSize: 3, padding: 'same', name: 'c2' }).apply(h);
  h = L.batchNormalization({ name: 'bn2' }).apply(h);
  h = L.add({ name: 'add' }).apply([h, x]);
  return tfl.model({ inputs: x, outputs: L.reLU({ name: 'r2' }).apply(h) });
}, [{ shape: [1, 4, 4, 3] }], { google_ops: ['CONV_2D', 'CONV_2D', 'ADD'] });

// ---------------------------------------------------------------- hand-written cases
require('./hand_cases.js').register({ tf, H, uniform });

// ---------------------------------------------------------------- writing
function writeNpy(file, a, dtype = 'float32') {
  const T = dtype === 'int32' ? Int32Array : Float32Array;
  npy.write(file, { dtype, shape: a.shape, data: a.data instanceof T ? a.data : T.from(a.data) });
}

function modelJson(topology, specs, kerasVersion) {
  if (kerasVersion) topology = { ...topology, keras_version: kerasVersion };
  return { format: 'layers-model', generatedBy: 'tflc tests/keras_layers/gen_cases.js', convertedBy: null, modelTopology: topology,
    weightsManifest: [{ paths: ['weights.bin'], weights: specs }] };
}

async function saveTfjs(model, dir, rename) {
  let art;
  await model.save(tf.io.withSaveHandler(async (a) => { art = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
  const topo = art.modelTopology;
  if (rename) {
    const walk = (o) => {
      if (Array.isArray(o)) o.forEach(walk);
      else if (o && typeof o === 'object') {
        if (o.class_name && o.config && rename[o.config.name]) {
          const [cls, cfg] = rename[o.config.name];
          o.class_name = cls;
          o.config = { name: o.config.name, trainable: true, ...cfg };
        }
        Object.values(o).forEach(walk);
      }
    };
    walk(topo);
  }
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(modelJson(topo, art.weightSpecs)));
  fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.from(art.weightData || new ArrayBuffer(0)));
}

async function runTfjs(c, dir) {
  const rnd = prng(hashName(c.name));
  const model = c.build();
  const vals = model.weights.map((w) => tf.tensor(weightValues(rnd, w.originalName || w.name, w.shape), w.shape));
  model.setWeights(vals);
  const xs = [];
  c.inputs.forEach((s, i) => {
    let t;
    if (s.int) {
      const v = Int32Array.from({ length: prod(s.shape) }, () => Math.floor(rnd() * s.int));
      t = s.asFloat ? tf.tensor(Float32Array.from(v), s.shape) : tf.tensor(v, s.shape, 'int32');
      writeNpy(path.join(dir, `in${i}.npy`), { data: v, shape: s.shape }, s.asFloat ? 'float32' : 'int32');
    } else {
      const d = uniform(rnd, s.shape, s.lo ?? -1, s.hi ?? 1);
      t = tf.tensor(d, s.shape);
      writeNpy(path.join(dir, `in${i}.npy`), { data: d, shape: s.shape });
    }
    xs.push(t);
  });
  let ys = c.reference ? c.reference(xs, model) : model.predict(xs.length === 1 ? xs[0] : xs);
  if (!Array.isArray(ys)) ys = [ys];
  ys.forEach((y, i) => writeNpy(path.join(dir, `out${i}.npy`), { data: y.dataSync(), shape: y.shape }));
  await saveTfjs(model, dir, c.rename);
}

function runHand(c, dir) {
  const rnd = prng(hashName(c.name));
  const r = c.make(rnd);
  const specs = [], bufs = [];
  for (const [name, shape, data] of r.weights || []) {
    if (data === null) { // an integer counter (Normalization's count)
      specs.push({ name, shape, dtype: 'int32' });
      const b = Buffer.alloc(4 * prod(shape));
      b.writeInt32LE(100, 0);
      bufs.push(b);
      continue;
    }
    if (data.length !== prod(shape)) throw new Error(`${c.name}: weight ${name} has ${data.length} values for shape ${shape}`);
    specs.push({ name, shape, dtype: 'float32' });
    bufs.push(Buffer.from(Float32Array.from(data).buffer));
  }
  const topo = { ...r.config, keras_version: r.kerasVersion || '2.15.0', backend: 'tensorflow' };
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(modelJson(topo, specs)));
  fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.concat(bufs));
  r.inputs.forEach((x, i) => writeNpy(path.join(dir, `in${i}.npy`), x, x.dtype || 'float32'));
  r.outputs.forEach((y, i) => writeNpy(path.join(dir, `out${i}.npy`), y));
}

async function main() {
  const out = process.argv[2];
  const filters = process.argv.slice(3);
  if (!out) { console.error('usage: gen_cases.js OUT_DIR [FILTER...]'); process.exit(2); }
  await tf.setBackend('cpu');
  tf.backend().firstUse = false; // no "install tfjs-node" banner
  const names = new Set();
  let n = 0;
  for (const c of cases) {
    if (names.has(c.name)) throw new Error(`duplicate case ${c.name}`);
    names.add(c.name);
    if (filters.length && !filters.some((f) => c.name.includes(f))) continue;
    const dir = path.join(out, c.name);
    fs.mkdirSync(dir, { recursive: true });
    try {
      if (c.kind === 'tfjs') await runTfjs(c, dir);
      else runHand(c, dir);
    } catch (e) {
      console.error(`gen_cases: ${c.name}: ${e.stack || e}`);
      process.exit(1);
    }
    const meta = { layers: c.layers, source: c.kind, note: c.note || null };
    if (c.google_ops) meta.google_ops = c.google_ops;
    if (c.runtime_ops) meta.runtime_ops = c.runtime_ops;
    fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify(meta));
    tf.disposeVariables();
    n++;
  }
  console.log(`gen_cases: wrote ${n} cases to ${out}`);
}

main();
