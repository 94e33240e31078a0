// Trains the example model of tflc's demo: a small CNN on Fashion-MNIST (Debian's
// dataset-fashion-mnist), with the Keras API of TensorFlow.js (@tensorflow/tfjs, pure JS).
// Writes the TensorFlow.js layers format (model.json + weights.bin) to OUT_DIR; tflc's
// tools/keras_export then writes the same model as Keras .h5 and .keras files.
//
//   npm ci --prefix tools/train
//   node tools/train/train_fashion_mnist.js examples/fashion_mnist [train_samples] [epochs]
//
// Seeded (weights and shuffling), so a rerun on the same machine gives the same model.
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const tf = require('@tensorflow/tfjs');

const DATA = '/usr/share/datasets/fashion-mnist';
const out = process.argv[2] || 'examples/fashion_mnist';
const nTrain = parseInt(process.argv[3] || '12000', 10);
const epochs = parseInt(process.argv[4] || '4', 10);

function idx(name) {
  const b = zlib.gunzipSync(fs.readFileSync(path.join(DATA, name)));
  const nd = b[3];
  const dims = [];
  for (let i = 0; i < nd; i++) dims.push(b.readUInt32BE(4 + 4 * i));
  return {dims, data: b.subarray(4 + 4 * nd)};
}

function images(name, n) {
  const {dims, data} = idx(name);
  const count = Math.min(n, dims[0]);
  const px = new Float32Array(count * 784);
  for (let i = 0; i < px.length; i++) px[i] = data[i] / 255;
  return tf.tensor4d(px, [count, 28, 28, 1]);
}

function labels(name, n) {
  const {dims, data} = idx(name);
  const count = Math.min(n, dims[0]);
  return tf.oneHot(tf.tensor1d(Int32Array.from(data.subarray(0, count)), 'int32'), 10);
}

async function main() {
  tf.util.shuffle = tf.util.shuffle; // deterministic order comes from the seeds below
  const x = images('train-images-idx3-ubyte.gz', nTrain);
  const y = labels('train-labels-idx1-ubyte.gz', nTrain);
  const seed = 1234;
  const m = tf.sequential({name: 'fashion_cnn'});
  // conv -> batch norm -> relu: tflc folds the batch norm into the conv and fuses the relu.
  m.add(tf.layers.conv2d({inputShape: [28, 28, 1], filters: 16, kernelSize: 3, strides: 2, padding: 'same',
                          name: 'conv1', kernelInitializer: tf.initializers.glorotUniform({seed})}));
  m.add(tf.layers.batchNormalization({name: 'bn1'}));
  m.add(tf.layers.activation({activation: 'relu', name: 'relu1'}));
  m.add(tf.layers.conv2d({filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'conv2',
                          kernelInitializer: tf.initializers.glorotUniform({seed: seed + 1})}));
  m.add(tf.layers.maxPooling2d({poolSize: 2, name: 'pool'}));
  m.add(tf.layers.flatten({name: 'flatten'}));
  m.add(tf.layers.dropout({rate: 0.2, name: 'dropout', seed}));
  m.add(tf.layers.dense({units: 64, activation: 'relu', name: 'dense1',
                         kernelInitializer: tf.initializers.glorotUniform({seed: seed + 2})}));
  m.add(tf.layers.dense({units: 10, activation: 'softmax', name: 'logits',
                         kernelInitializer: tf.initializers.glorotUniform({seed: seed + 3})}));
  m.compile({optimizer: tf.train.adam(0.003), loss: 'categoricalCrossentropy', metrics: ['accuracy']});
  const t0 = Date.now();
  await m.fit(x, y, {epochs, batchSize: 64, shuffle: true, verbose: 0,
                     callbacks: {onEpochEnd: (e, l) => console.log(`epoch ${e + 1}/${epochs}: loss ${l.loss.toFixed(4)} accuracy ${l.acc.toFixed(4)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`)}});
  const xt = images('t10k-images-idx3-ubyte.gz', 10000);
  const yt = labels('t10k-labels-idx1-ubyte.gz', 10000);
  const [, acc] = m.evaluate(xt, yt, {batchSize: 500});
  console.log(`test accuracy (10,000 Fashion-MNIST test images): ${(await acc.data())[0].toFixed(4)}`);
  fs.mkdirSync(out, {recursive: true});
  await m.save(tf.io.withSaveHandler(async (a) => {
    const weights = Buffer.from(a.weightData);
    fs.writeFileSync(path.join(out, 'weights.bin'), weights);
    const json = {
      format: 'layers-model',
      generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs} (tools/train/train_fashion_mnist.js)`,
      convertedBy: null,
      modelTopology: a.modelTopology,
      weightsManifest: [{paths: ['weights.bin'], weights: a.weightSpecs}],
    };
    fs.writeFileSync(path.join(out, 'model.json'), JSON.stringify(json));
    return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
  }));
  console.log(`wrote ${out}/model.json and weights.bin`);
}

main().catch((e) => { console.error(e); process.exit(1); });
