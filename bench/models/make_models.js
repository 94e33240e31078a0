// Builds the benchmark models with TensorFlow.js' Keras API (tfjs-layers) and seeded random
// weights, and saves each as a TensorFlow.js layers model (model.json + weights.bin) that
// `tflc convert` reads. Also writes, per model, seeded random float32 inputs as .npy: NAME_calib.npy
// (N samples, the int8 calibration data) and NAME_input.npy (1 sample, the input both runtimes
// get when their outputs are compared).
//
//   npm ci --prefix bench/models
//   node bench/models/make_models.js OUT_DIR [names...] [--calib N]
//
// The architectures follow the published models layer for layer (kernel sizes, channels,
// strides, padding, where batch norm and activations sit); only the weights are random. Batch
// norms get random statistics (tflc folds them into the convolution before them, as Google's
// converter does), so the folded weights are not trivial.
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

// ---- seeded random numbers (mulberry32 + Box-Muller) ----
function rng(seed) {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => {
    const r = Math.sqrt(-2 * Math.log(1 - u()));
    return r * Math.cos(2 * Math.PI * u());
  };
  return {u, normal, uniform: (lo, hi) => lo + (hi - lo) * u()};
}

// Random weights for every layer: He-normal convolutions (keeps activations' scale through
// ReLU stacks), LeCun-normal dense, small biases, batch norms near identity.
function randomizeWeights(model, seed) {
  const r = rng(seed);
  for (const layer of model.layers) {
    const ws = layer.getWeights();
    if (!ws.length) continue;
    const cls = layer.getClassName();
    const out = layer.weights.map((v, i) => {
      const shape = ws[i].shape;
      const n = shape.reduce((a, b) => a * b, 1);
      const name = v.originalName || v.name;
      const base = name.split('/').pop();
      const data = new Float32Array(n);
      let fill;
      if (cls === 'BatchNormalization') {
        fill = {gamma: () => r.uniform(0.5, 1.0), beta: () => r.uniform(-0.1, 0.1),
                moving_mean: () => r.uniform(-0.1, 0.1), moving_variance: () => r.uniform(0.5, 1.5)}[base];
      } else if (base === 'bias') {
        fill = () => r.uniform(-0.05, 0.05);
      } else if (base === 'depthwise_kernel') {
        const sd = Math.sqrt(2 / (shape[0] * shape[1]));
        fill = () => sd * r.normal();
      } else if (base === 'kernel' && shape.length === 4) {
        const sd = Math.sqrt(2 / (shape[0] * shape[1] * shape[2]));
        fill = () => sd * r.normal();
      } else if (base === 'kernel' || base === 'recurrent_kernel') {
        const sd = Math.sqrt(1 / shape[0]);
        fill = () => sd * r.normal();
      }
      if (!fill) throw new Error(`no initializer for ${cls} weight ${name}`);
      for (let k = 0; k < n; k++) data[k] = fill();
      return tf.tensor(data, shape);
    });
    layer.setWeights(out);
    out.forEach((t) => t.dispose());
  }
}

const L = tf.layers;
const bn = (x) => L.batchNormalization({epsilon: 1e-3}).apply(x);
const relu6 = (x) => L.reLU({maxValue: 6}).apply(x);
const relu = (x) => L.activation({activation: 'relu'}).apply(x);

// ---- MobileNet v1 (Howard et al. 2017), alpha 1.0, 224x224, as keras.applications.MobileNet:
// conv 3x3/2 32 + 13 depthwise-separable blocks; a stride-2 depthwise conv is ZeroPadding2D
// ((0,1),(0,1)) + 'valid'; global average pool, 1x1 conv classifier (1000), softmax.
// 28 conv layers (27 + classifier), 4.2M parameters, 569M MACs.
function mobilenetV1() {
  const inp = tf.input({shape: [224, 224, 3], name: 'input'});
  let x = L.conv2d({filters: 32, kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'conv1'}).apply(inp);
  x = relu6(bn(x));
  const blocks = [[64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2],
                  [512, 1], [512, 1], [512, 1], [512, 1], [512, 1], [1024, 2], [1024, 1]];
  blocks.forEach(([f, s], i) => {
    if (s === 2) x = L.zeroPadding2d({padding: [[0, 1], [0, 1]], name: `conv_pad_${i + 1}`}).apply(x);
    x = L.depthwiseConv2d({kernelSize: 3, strides: s, padding: s === 1 ? 'same' : 'valid', useBias: false,
                           name: `conv_dw_${i + 1}`}).apply(x);
    x = relu6(bn(x));
    x = L.conv2d({filters: f, kernelSize: 1, padding: 'same', useBias: false, name: `conv_pw_${i + 1}`}).apply(x);
    x = relu6(bn(x));
  });
  x = L.globalAveragePooling2d({}).apply(x);
  x = L.reshape({targetShape: [1, 1, 1024]}).apply(x);
  x = L.dropout({rate: 1e-3}).apply(x);
  x = L.conv2d({filters: 1000, kernelSize: 1, padding: 'same', name: 'conv_preds'}).apply(x);
  x = L.reshape({targetShape: [1000]}).apply(x);
  x = L.activation({activation: 'softmax', name: 'predictions'}).apply(x);
  return tf.model({inputs: inp, outputs: x, name: 'mobilenet_1.00_224'});
}

// ---- MobileNet v2 (Sandler et al. 2018), alpha 1.0, 224x224, as keras.applications.MobileNetV2:
// conv 3x3/2 32, 17 inverted residual blocks (expansion 1x1 + ReLU6, depthwise 3x3 + ReLU6,
// linear 1x1 projection, residual add when shapes allow), conv 1x1 1280, global average pool,
// dense 1000 softmax. 3.5M parameters, 300M MACs.
function mobilenetV2() {
  const inp = tf.input({shape: [224, 224, 3], name: 'input'});
  let x = L.conv2d({filters: 32, kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'Conv1'}).apply(inp);
  x = relu6(bn(x));
  let cin = 32, id = 0;
  const block = (t, c, s) => {
    const input = x;
    const p = id ? `block_${id}_` : 'expanded_conv_';
    let y = x;
    if (id) y = relu6(bn(L.conv2d({filters: cin * t, kernelSize: 1, padding: 'same', useBias: false,
                                   name: p + 'expand'}).apply(y)));
    const hw = y.shape[1];
    if (s === 2) y = L.zeroPadding2d({padding: hw % 2 ? [[1, 1], [1, 1]] : [[0, 1], [0, 1]], name: p + 'pad'}).apply(y);
    y = L.depthwiseConv2d({kernelSize: 3, strides: s, padding: s === 1 ? 'same' : 'valid', useBias: false,
                           name: p + 'depthwise'}).apply(y);
    y = relu6(bn(y));
    y = bn(L.conv2d({filters: c, kernelSize: 1, padding: 'same', useBias: false, name: p + 'project'}).apply(y));
    if (cin === c && s === 1) y = L.add({name: p + 'add'}).apply([input, y]);
    x = y;
    cin = c;
    id++;
  };
  // (expansion t, channels c, repeats n, first stride s), the paper's Table 2
  for (const [t, c, n, s] of [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1],
                              [6, 160, 3, 2], [6, 320, 1, 1]])
    for (let i = 0; i < n; i++) block(t, c, i ? 1 : s);
  x = relu6(bn(L.conv2d({filters: 1280, kernelSize: 1, useBias: false, name: 'Conv_1'}).apply(x)));
  x = L.globalAveragePooling2d({}).apply(x);
  x = L.dense({units: 1000, activation: 'softmax', name: 'predictions'}).apply(x);
  return tf.model({inputs: inp, outputs: x, name: 'mobilenetv2_1.00_224'});
}

// ---- ResNet-18 (He et al. 2016, the ImageNet "18-layer" column of Table 1, laid out as
// torchvision's resnet18): conv 7x7/2 64 (pad 3), max pool 3x3/2 (pad 1), 4 stages of 2 basic
// blocks (3x3, 3x3) with 64/128/256/512 channels, stride 2 in the first 3x3 of stages 2-4 (pad
// 1) and a 1x1/2 conv + BN shortcut there, global average pool, dense 1000 softmax.
// 17 conv + 3 shortcut convs + 1 dense, 11.7M parameters, 1.82G MACs.
function resnet18() {
  const inp = tf.input({shape: [224, 224, 3], name: 'input'});
  let x = L.zeroPadding2d({padding: 3, name: 'conv1_pad'}).apply(inp);
  x = relu(bn(L.conv2d({filters: 64, kernelSize: 7, strides: 2, useBias: false, name: 'conv1'}).apply(x)));
  x = L.zeroPadding2d({padding: 1, name: 'pool1_pad'}).apply(x);
  x = L.maxPooling2d({poolSize: 3, strides: 2, name: 'pool1'}).apply(x);
  let cin = 64;
  [64, 128, 256, 512].forEach((c, st) => {
    for (let b = 0; b < 2; b++) {
      const s = st > 0 && b === 0 ? 2 : 1;
      const p = `stage${st + 1}_block${b + 1}_`;
      let y = x;
      if (s === 2) y = L.zeroPadding2d({padding: 1, name: p + 'pad'}).apply(y);
      y = relu(bn(L.conv2d({filters: c, kernelSize: 3, strides: s, padding: s === 1 ? 'same' : 'valid',
                            useBias: false, name: p + 'conv1'}).apply(y)));
      y = bn(L.conv2d({filters: c, kernelSize: 3, padding: 'same', useBias: false, name: p + 'conv2'}).apply(y));
      let sc = x;
      if (s !== 1 || cin !== c)
        sc = bn(L.conv2d({filters: c, kernelSize: 1, strides: s, useBias: false, name: p + 'downsample'}).apply(x));
      x = relu(L.add({name: p + 'add'}).apply([sc, y]));
      cin = c;
    }
  });
  x = L.globalAveragePooling2d({}).apply(x);
  x = L.dense({units: 1000, activation: 'softmax', name: 'fc'}).apply(x);
  return tf.model({inputs: inp, outputs: x, name: 'resnet18'});
}

// ---- ResNet-50 v1 as keras.applications.ResNet50 (stride in the first 1x1 of a stage, 3/4/6/3
// bottleneck blocks). 25.6M parameters, 3.9G MACs. Not in the default set (see bench/README.md).
function resnet50() {
  const inp = tf.input({shape: [224, 224, 3], name: 'input'});
  let x = L.zeroPadding2d({padding: 3, name: 'conv1_pad'}).apply(inp);
  x = relu(bn(L.conv2d({filters: 64, kernelSize: 7, strides: 2, name: 'conv1_conv'}).apply(x)));
  x = L.zeroPadding2d({padding: 1, name: 'pool1_pad'}).apply(x);
  x = L.maxPooling2d({poolSize: 3, strides: 2, name: 'pool1_pool'}).apply(x);
  [[64, 3, 1], [128, 4, 2], [256, 6, 2], [512, 3, 2]].forEach(([f, n, s0], st) => {
    for (let b = 0; b < n; b++) {
      const s = b ? 1 : s0;
      const p = `conv${st + 2}_block${b + 1}_`;
      let sc = x;
      if (b === 0) sc = bn(L.conv2d({filters: 4 * f, kernelSize: 1, strides: s, name: p + '0_conv'}).apply(x));
      let y = relu(bn(L.conv2d({filters: f, kernelSize: 1, strides: s, name: p + '1_conv'}).apply(x)));
      y = relu(bn(L.conv2d({filters: f, kernelSize: 3, padding: 'same', name: p + '2_conv'}).apply(y)));
      y = bn(L.conv2d({filters: 4 * f, kernelSize: 1, name: p + '3_conv'}).apply(y));
      x = relu(L.add({name: p + 'add'}).apply([sc, y]));
    }
  });
  x = L.globalAveragePooling2d({name: 'avg_pool'}).apply(x);
  x = L.dense({units: 1000, activation: 'softmax', name: 'predictions'}).apply(x);
  return tf.model({inputs: inp, outputs: x, name: 'resnet50'});
}

// ---- DS-CNN, the MLPerf Tiny keyword-spotting reference (benchmark/training/keyword_spotting/
// keras_model.py, 'ds_cnn'): 49x10x1 MFCC input, conv 10x4/2 64 'same' + BN + ReLU, 4 x
// (depthwise 3x3 + BN + ReLU, conv 1x1 64 + BN + ReLU), average pool 24x5, dense 12 softmax.
// 24.9k parameters (23.8k trainable), 2.7M MACs.
function dsCnn() {
  const inp = tf.input({shape: [49, 10, 1], name: 'input'});
  let x = relu(bn(L.conv2d({filters: 64, kernelSize: [10, 4], strides: 2, padding: 'same', name: 'conv_1'}).apply(inp)));
  x = L.dropout({rate: 0.2}).apply(x);
  for (let i = 1; i <= 4; i++) {
    x = relu(bn(L.depthwiseConv2d({kernelSize: 3, padding: 'same', name: `dw_${i}`}).apply(x)));
    x = relu(bn(L.conv2d({filters: 64, kernelSize: 1, padding: 'same', name: `pw_${i}`}).apply(x)));
  }
  x = L.dropout({rate: 0.4}).apply(x);
  x = L.averagePooling2d({poolSize: [24, 5], name: 'avg_pool'}).apply(x);
  x = L.flatten().apply(x);
  x = L.dense({units: 12, activation: 'softmax', name: 'fc'}).apply(x);
  return tf.model({inputs: inp, outputs: x, name: 'ds_cnn'});
}

// ---- LSTM keyword spotter over the same 49 frames x 10 MFCC features: two stacked LSTM(128)
// layers (the first returns sequences), dense 12 softmax. There is no MLPerf Tiny reference
// LSTM; this one is sized like the small recurrent keyword spotters in the literature.
// tflc lowers each LSTM to one fused UNIDIRECTIONAL_SEQUENCE_LSTM (recurrent activation sigmoid, as
// Keras; tfjs' default hard sigmoid would be unrolled into ~1,750 ops). 0.2M parameters, 9.9M MACs.
function lstm() {
  const inp = tf.input({shape: [49, 10], name: 'input'});
  let x = L.lstm({units: 128, returnSequences: true, recurrentActivation: 'sigmoid', recurrentInitializer: 'glorotNormal', name: 'lstm_1'}).apply(inp);
  x = L.lstm({units: 128, recurrentActivation: 'sigmoid', recurrentInitializer: 'glorotNormal', name: 'lstm_2'}).apply(x);
  x = L.dense({units: 12, activation: 'softmax', name: 'fc'}).apply(x);
  return tf.model({inputs: inp, outputs: x, name: 'lstm_kws'});
}

const MODELS = {
  mobilenet_v1: mobilenetV1, mobilenet_v2: mobilenetV2, resnet18, resnet50, ds_cnn: dsCnn, lstm,
};
const DEFAULT = ['mobilenet_v1', 'mobilenet_v2', 'resnet18', 'ds_cnn', 'lstm'];

function writeNpy(file, data, shape) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const h = Buffer.alloc(10);
  h.write('\x93NUMPY', 0, 'latin1');
  h[6] = 1;
  h[7] = 0;
  h.writeUInt16LE(header.length, 8);
  fs.writeFileSync(file, Buffer.concat([h, Buffer.from(header, 'latin1'), Buffer.from(data.buffer)]));
}

// Uniform [-1, 1): the range of the MobileNet / ResNet preprocessing and a plausible one for
// normalized MFCCs.
function randomInput(shape, n, seed) {
  const r = rng(seed);
  const per = shape.reduce((a, b) => a * b, 1);
  const d = new Float32Array(per * n);
  for (let i = 0; i < d.length; i++) d[i] = r.uniform(-1, 1);
  return d;
}

async function save(model, dir) {
  fs.mkdirSync(dir, {recursive: true});
  await model.save(tf.io.withSaveHandler(async (a) => {
    fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.from(a.weightData));
    const json = {
      format: 'layers-model',
      generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs} (bench/models/make_models.js, random weights)`,
      convertedBy: null,
      modelTopology: a.modelTopology,
      weightsManifest: [{paths: ['weights.bin'], weights: a.weightSpecs}],
    };
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
    return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
  }));
}

async function main() {
  const args = process.argv.slice(2);
  let calib = 16;
  const ci = args.indexOf('--calib');
  if (ci >= 0) { calib = parseInt(args[ci + 1], 10); args.splice(ci, 2); }
  const out = args.shift();
  if (!out) throw new Error('usage: make_models.js OUT_DIR [names...] [--calib N]');
  const names = args.length ? args : DEFAULT;
  let seed = 1;
  for (const name of names) {
    if (!MODELS[name]) throw new Error(`unknown model '${name}' (${Object.keys(MODELS).join(', ')})`);
    seed = 1000 + Object.keys(MODELS).indexOf(name);
    const m = MODELS[name]();
    randomizeWeights(m, seed);
    const shape = m.inputs[0].shape.slice(1);
    await save(m, path.join(out, name));
    writeNpy(path.join(out, `${name}_calib.npy`), randomInput(shape, calib, seed + 7), [calib, ...shape]);
    writeNpy(path.join(out, `${name}_input.npy`), randomInput(shape, 1, seed + 13), [1, ...shape]);
    const convs = m.layers.filter((l) => /Conv2D$/.test(l.getClassName())).length;
    console.log(`${name}: ${m.layers.length} layers (${convs} conv/depthwise), ${m.countParams()} parameters, ` +
                `input ${JSON.stringify(shape)}`);
    m.dispose();
  }
}

main().catch((e) => { console.error(e.message || e); process.exit(1); });
