'use strict';
// make_models.js OUT_DIR
// Small seeded Keras models (TensorFlow.js layers) for quantization structures the shared
// models lack, each with calibration and evaluation data:
//   OUT_DIR/gen/<name>/model.json + weights.bin
//   OUT_DIR/data/<name>/calib.npy (100 samples), eval.npy (200), float32 in [-1, 1]
// Models:
//   concat_branches  inception-like block: Concatenate of a ReLU conv, a linear conv and a
//                    max pool of the input (int8 CONCATENATION needs equal input/output params)
//   concat_shared    a tensor read by both a Concatenate and an Add (needs a requantize), and
//                    a Concatenate of two pooled vectors
const fs = require('fs');
const path = require('path');
const tf = require('../keras_layers/node_modules/@tensorflow/tfjs');
const npy = require('../oracle/npy.js');

let seed = 12345;
function rnd() { // xorshift32 in [0, 1)
  seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0;
  return seed / 4294967296;
}
const L = tf.layers;

function concatBranches() {
  const x = tf.input({ shape: [16, 16, 3], name: 'x' });
  const a = L.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', name: 'a' }).apply(x);
  const b = L.conv2d({ filters: 6, kernelSize: 1, name: 'b' }).apply(x);
  const c = L.maxPooling2d({ poolSize: 3, strides: 1, padding: 'same', name: 'c' }).apply(x);
  const m = L.concatenate({ name: 'cat' }).apply([a, b, c]);
  const d = L.conv2d({ filters: 8, kernelSize: 3, strides: 2, activation: 'relu', name: 'd' }).apply(m);
  const g = L.globalAveragePooling2d({ name: 'gap' }).apply(d);
  return tf.model({ inputs: x, outputs: L.dense({ units: 10, name: 'out' }).apply(g) });
}

function concatShared() {
  const x = tf.input({ shape: [12, 12, 4], name: 'x' });
  const a = L.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', name: 'a' }).apply(x);
  const b = L.conv2d({ filters: 8, kernelSize: 3, padding: 'same', name: 'b' }).apply(x);
  const m = L.concatenate({ name: 'cat' }).apply([a, b]);
  const s = L.add({ name: 'sum' }).apply([a, b]);
  const p = L.globalAveragePooling2d({ name: 'gap1' }).apply(m);
  const q = L.globalMaxPooling2d({ name: 'gmp2' }).apply(s);
  const v = L.concatenate({ name: 'cat2' }).apply([p, q]);
  return tf.model({ inputs: x, outputs: L.dense({ units: 6, name: 'out' }).apply(v) });
}

async function save(model, dir) {
  fs.mkdirSync(dir, { recursive: true });
  model.setWeights(model.weights.map((w) => {
    const n = w.shape.reduce((a, b) => a * b, 1);
    const fan = w.shape.length > 1 ? w.shape.slice(0, -1).reduce((a, b) => a * b, 1) : 1;
    const lim = w.shape.length > 1 ? Math.sqrt(6 / fan) : 0.2;
    return tf.tensor(Float32Array.from({ length: n }, () => (rnd() * 2 - 1) * lim), w.shape);
  }));
  let art;
  await model.save(tf.io.withSaveHandler(async (a) => { art = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ format: 'layers-model', generatedBy: 'tflc tests/quant/make_models.js',
    convertedBy: null, modelTopology: art.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: art.weightSpecs }] }));
  fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.from(art.weightData));
}

async function main() {
  const out = process.argv[2];
  if (!out) { process.stderr.write('usage: make_models.js OUT_DIR\n'); process.exit(2); }
  const models = { concat_branches: concatBranches, concat_shared: concatShared };
  for (const [name, build] of Object.entries(models)) {
    const model = build();
    await save(model, path.join(out, 'gen', name));
    const shape = model.inputs[0].shape.slice(1), per = shape.reduce((a, b) => a * b, 1);
    const dd = path.join(out, 'data', name);
    fs.mkdirSync(dd, { recursive: true });
    for (const [f, n] of [['calib.npy', 100], ['eval.npy', 200]]) {
      npy.write(path.join(dd, f), { dtype: 'float32', data: Float32Array.from({ length: n * per }, () => rnd() * 2 - 1), shape: [n, ...shape] });
    }
  }
}
main().catch((e) => { process.stderr.write(`${e.stack || e}\n`); process.exit(1); });
