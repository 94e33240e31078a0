'use strict';
// hand_cases.js: the cases of gen_cases.js for Keras layers and options TensorFlow.js lacks (see
// gen_cases.js): a hand-written Keras-2-style config (Keras 3 where a formula differs), seeded
// weights and inputs, and the reference computed here with plain JS math or tfjs ops,
// independently of tflc. register(ctx) adds them through ctx.H(name, layers, make, opts), where
// make(rnd) returns {config, weights: [[name, shape, Float32Array | null (int32 counter)]],
// inputs: [{data, shape, dtype}], outputs: [{data, shape}], kerasVersion}.

function register({ tf, H, uniform }) {
  // Keras-2 style config builders.
  function inputLayer(name, shape, dtype = 'float32') {
    return { class_name: 'InputLayer', config: { batch_input_shape: [null, ...shape], dtype, sparse: false, name } };
  }
  function seqConfig(inShape, layers, dtype = 'float32') {
    return { class_name: 'Sequential', config: { name: 'sequential', layers: [inputLayer('x', inShape, dtype), ...layers] } };
  }
  const layer = (cls, name, cfg) => ({ class_name: cls, config: { name, trainable: true, dtype: 'float32', ...cfg } });
  function funcConfig(inputs /* [[name, shape]] */, nodes /* [[cls, name, cfg, [srcs]]] */, outputs) {
    const ls = inputs.map(([n, s]) => ({ name: n, class_name: 'InputLayer', config: inputLayer(n, s).config, inbound_nodes: [] }));
    for (const [cls, name, cfg, srcs] of nodes) {
      ls.push({ name, class_name: cls, config: { name, trainable: true, dtype: 'float32', ...cfg }, inbound_nodes: [srcs.map((s) => [s, 0, 0, {}])] });
    }
    return { class_name: 'Functional', config: { name: 'model', layers: ls, input_layers: inputs.map(([n]) => [n, 0, 0]),
      output_layers: outputs.map((n) => [n, 0, 0]) } };
  }
  const F = (data, shape) => ({ data: Float32Array.from(data), shape });
  const rin = (rnd, shape, lo = -1, hi = 1) => ({ data: uniform(rnd, shape, lo, hi), shape, dtype: 'float32' });
  const arr = (t) => ({ data: t.dataSync(), shape: t.shape });
  const tt = (x) => tf.tensor(x.data, x.shape);
  const mapv = (x, f) => ({ data: Float32Array.from(x.data, f), shape: x.shape });

  H('subtract', ['Subtract'], (rnd) => {
    const a = rin(rnd, [1, 3, 4]), b = rin(rnd, [1, 3, 4]);
    return { config: funcConfig([['a', [3, 4]], ['b', [3, 4]]], [['Subtract', 'sub', {}, ['a', 'b']]], ['sub']),
      inputs: [a, b], outputs: [{ data: a.data.map((v, i) => v - b.data[i]), shape: a.shape }] };
  }, { google_ops: ['SUB'] });
  H('subtract_dense', ['Subtract', 'Dense'], (rnd) => {
    const a = rin(rnd, [1, 4]), b = rin(rnd, [1, 4]);
    const k = uniform(rnd, [4, 2], -0.7, 0.7), bias = uniform(rnd, [2], -0.5, 0.5);
    const d = tf.matMul(tf.sub(tt(a), tt(b)), tf.tensor(k, [4, 2])).add(tf.tensor(bias)).relu();
    return { config: funcConfig([['a', [4]], ['b', [4]]], [['Subtract', 'sub', {}, ['a', 'b']],
      ['Dense', 'd', { units: 2, activation: 'relu', use_bias: true }, ['sub']]], ['d']),
      weights: [['d/kernel', [4, 2], k], ['d/bias', [2], bias]], inputs: [a, b], outputs: [arr(d)] };
  }, { google_ops: ['SUB', 'FULLY_CONNECTED'] });

  // ReLU options tfjs lacks (negative_slope, threshold): Keras's formula, element by element.
  function kerasRelu(x, ns, mv, th) {
    let neg = 0;
    if (ns !== 0) neg = Math.max(0, -x + th);
    let y;
    if (th !== 0) y = x > th ? x : 0;
    else y = Math.max(0, x);
    if (mv != null) y = Math.min(Math.max(y, 0), mv);
    return ns !== 0 ? Math.fround(y - ns * neg) : y;
  }
  // Keras writes x * cast(x > threshold): GREATER, CAST, MUL in Google's converter. While tflc's
  // runtime lacks GREATER, tflc emits an exact 4-op mask instead (runtime_ops, see run_cases.sh).
  for (const [nm, ns, mv, th, ops] of [
    ['relu_negative_slope', 0.2, null, 0, ['LEAKY_RELU']],
    ['relu_negative_slope_max', 0.1, 3, 0, null],
    ['relu_max6_negative_slope', 0.25, 6, 0, null],
    ['relu_threshold', 0, null, 0.5, ['GREATER', 'CAST', 'MUL']],
    ['relu_threshold_negative', 0, null, -0.4, ['GREATER', 'CAST', 'MUL']],
    ['relu_threshold_max', 0, 1.5, 0.3, null],
    ['relu_threshold_max6', 0, 6, 1.0, null],
    ['relu_threshold_slope', 0.3, null, 0.5, null],
    ['relu_threshold_slope_max', 0.1, 2, 0.5, null],
  ]) {
    H(nm, ['ReLU'], (rnd) => {
      const x = rin(rnd, [1, 4, 6], th === 1 ? -8 : -3, th === 1 ? 8 : 3);
      const cfg = { max_value: mv, negative_slope: ns, threshold: th };
      return { config: seqConfig([4, 6], [layer('ReLU', 'r', cfg)]), inputs: [x], outputs: [mapv(x, (v) => kerasRelu(v, ns, mv, th))] };
    }, { google_ops: ops, runtime_ops: th !== 0 ? ['GREATER'] : undefined });
  }

  H('elu_alpha', ['ELU'], (rnd) => {
    const x = rin(rnd, [1, 2, 7], -3, 3);
    return { config: seqConfig([2, 7], [layer('ELU', 'e', { alpha: 0.7 })]), inputs: [x],
      outputs: [mapv(x, (v) => (v > 0 ? v : 0.7 * (Math.exp(v) - 1)))] };
  }, { google_ops: ['ELU', 'GREATER', 'MUL', 'SELECT_V2|MAXIMUM'], note: 'tfjs\'s ELU refuses alpha != 1' });
  H('elu_alpha_large', ['ELU'], (rnd) => {
    const x = rin(rnd, [1, 6], -3, 3);
    return { config: seqConfig([6], [layer('ELU', 'e', { alpha: 2.5 })]), inputs: [x],
      outputs: [mapv(x, (v) => (v > 0 ? v : 2.5 * (Math.exp(v) - 1)))] };
  }, { google_ops: ['ELU', 'GREATER', 'MUL', 'SELECT_V2|MINIMUM'], note: 'tfjs\'s ELU refuses alpha != 1' });

  // Activations tfjs lacks, and Keras 3's hard_sigmoid.
  const sigm = (v) => 1 / (1 + Math.exp(-v));
  for (const [a, f, kv, ops] of [
    ['hard_swish', (v) => v * Math.min(Math.max(v + 3, 0), 6) / 6, '3.3.3', ['HARD_SWISH']],
    ['hard_silu', (v) => v * Math.min(Math.max(v + 3, 0), 6) / 6, '3.3.3', ['HARD_SWISH']],
    ['exponential', (v) => Math.exp(v), '2.15.0', ['EXP']],
    ['silu', (v) => v * sigm(v), '3.3.3', ['LOGISTIC', 'MUL']],
    ['hard_sigmoid', (v) => Math.min(Math.max(v / 6 + 0.5, 0), 1), '3.3.3', ['MUL', 'ADD', 'MINIMUM', 'MAXIMUM']],
  ]) {
    const nm = a === 'hard_sigmoid' ? 'activation_hard_sigmoid_keras3' : `activation_${a}`;
    H(nm, ['Activation'], (rnd) => {
      const x = rin(rnd, [1, 3, 7], -5, 5);
      return { config: seqConfig([3, 7], [layer('Activation', 'act', { activation: a })]), kerasVersion: kv, inputs: [x], outputs: [mapv(x, f)] };
    }, { google_ops: ops, note: `Keras ${kv[0]} activation '${a}'` });
  }
  H('dense_act_hard_swish', ['Dense'], (rnd) => {
    const x = rin(rnd, [1, 5], -3, 3);
    const k = uniform(rnd, [5, 4], -1, 1), b = uniform(rnd, [4], -0.5, 0.5);
    const y = mapv(arr(tf.matMul(tt(x), tf.tensor(k, [5, 4])).add(tf.tensor(b))), (v) => v * Math.min(Math.max(v + 3, 0), 6) / 6);
    return { config: seqConfig([5], [layer('Dense', 'd', { units: 4, activation: 'hard_swish', use_bias: true })]), kerasVersion: '3.3.3',
      weights: [['d/kernel', [5, 4], k], ['d/bias', [4], b]], inputs: [x], outputs: [y] };
  }, { google_ops: ['FULLY_CONNECTED', 'HARD_SWISH'] });

  // Conv2D groups (tfjs lacks groups): per-group tf.conv2d.
  function groupConv(x, k, bias, groups, strides, pad, dil) {
    const [kh, kw, cg, O] = k.shape;
    const og = O / groups, outs = [];
    for (let g = 0; g < groups; g++) {
      const xs = tf.slice(x, [0, 0, 0, g * cg], [-1, -1, -1, cg]);
      const ks = tf.slice(k, [0, 0, 0, g * og], [kh, kw, cg, og]);
      outs.push(tf.conv2d(xs, ks, strides, pad, 'NHWC', dil));
    }
    let y = tf.concat(outs, 3);
    if (bias) y = y.add(bias);
    return y;
  }
  for (const [nm, groups, o, ops] of [
    ['conv2d_groups2', 2, { padding: 'valid' }, ['CONV_2D']],
    ['conv2d_groups3_same_relu', 3, { padding: 'same', activation: 'relu' }, ['CONV_2D']],
    ['conv2d_groups2_stride2', 2, { padding: 'same', strides: 2 }, ['CONV_2D']],
  ]) {
    H(nm, ['Conv2D'], (rnd) => {
      const cin = 2 * groups, O = 2 * groups, s = o.strides || 1;
      const x = rin(rnd, [1, 5, 5, cin]);
      const k = uniform(rnd, [3, 3, cin / groups, O], -0.5, 0.5), b = uniform(rnd, [O], -0.5, 0.5);
      let y = groupConv(tt(x), tf.tensor(k, [3, 3, cin / groups, O]), tf.tensor(b), groups, s, o.padding, 1);
      if (o.activation === 'relu') y = y.relu();
      return { config: seqConfig([5, 5, cin], [layer('Conv2D', 'c', { filters: O, kernel_size: [3, 3], strides: [s, s], padding: o.padding,
        data_format: 'channels_last', dilation_rate: [1, 1], groups, activation: o.activation || 'linear', use_bias: true })]),
        weights: [['c/kernel', [3, 3, cin / groups, O], k], ['c/bias', [O], b]], inputs: [x], outputs: [arr(y)] };
    }, { google_ops: ops, note: 'tfjs lacks Conv2D groups: reference by per-group tf.conv2d' });
  }
  H('conv1d_groups2', ['Conv1D'], (rnd) => {
    const x = rin(rnd, [1, 6, 4]);
    const k = uniform(rnd, [3, 2, 4], -0.5, 0.5), b = uniform(rnd, [4], -0.5, 0.5);
    const y = groupConv(tt(x).expandDims(1), tf.tensor(k, [1, 3, 2, 4]), tf.tensor(b), 2, 1, 'valid', 1).squeeze([1]);
    return { config: seqConfig([6, 4], [layer('Conv1D', 'c', { filters: 4, kernel_size: [3], strides: [1], padding: 'valid',
      data_format: 'channels_last', dilation_rate: [1], groups: 2, activation: 'linear', use_bias: true })]),
      weights: [['c/kernel', [3, 2, 4], k], ['c/bias', [4], b]], inputs: [x], outputs: [arr(y)] };
  }, { google_ops: ['EXPAND_DIMS', 'CONV_2D', 'RESHAPE'] });

  // SeparableConv1D (tfjs lacks it): tf.separableConv2d on [b, 1, t, c].
  for (const [nm, o] of [['separable_conv1d', { padding: 'valid', strides: 1, mult: 1 }],
    ['separable_conv1d_same_mult2_s2', { padding: 'same', strides: 2, mult: 2, activation: 'relu' }]]) {
    H(nm, ['SeparableConv1D'], (rnd) => {
      const C = 3, F = 4, K = 3, M = o.mult;
      const x = rin(rnd, [1, 7, C]);
      const dk = uniform(rnd, [K, C, M], -0.6, 0.6), pk = uniform(rnd, [1, C * M, F], -0.6, 0.6), b = uniform(rnd, [F], -0.5, 0.5);
      let y = tf.separableConv2d(tt(x).expandDims(1), tf.tensor(dk, [1, K, C, M]), tf.tensor(pk, [1, 1, C * M, F]), [1, o.strides], o.padding)
        .squeeze([1]).add(tf.tensor(b));
      if (o.activation === 'relu') y = y.relu();
      return { config: seqConfig([7, C], [layer('SeparableConv1D', 'sc', { filters: F, kernel_size: [K], strides: [o.strides], padding: o.padding,
        data_format: 'channels_last', dilation_rate: [1], depth_multiplier: M, activation: o.activation || 'linear', use_bias: true })]),
        weights: [['sc/depthwise_kernel', [K, C, M], dk], ['sc/pointwise_kernel', [1, C * M, F], pk], ['sc/bias', [F], b]],
        inputs: [x], outputs: [arr(y)] };
    }, { google_ops: ['EXPAND_DIMS', 'DEPTHWISE_CONV_2D', 'CONV_2D', 'RESHAPE'], note: 'tfjs lacks SeparableConv1D' });
  }

  // A nested Sequential without an input shape (tfjs cannot build one): it has no node of its own,
  // so references to its calls count from 0.
  H('functional_nested_sequential_no_input', ['Sequential', 'Dense'], (rnd) => {
    const x = rin(rnd, [1, 5]);
    const k1 = uniform(rnd, [5, 3], -0.7, 0.7), b1 = uniform(rnd, [3], -0.5, 0.5);
    const k2 = uniform(rnd, [3, 2], -0.7, 0.7), b2 = uniform(rnd, [2], -0.5, 0.5);
    const h = tf.tanh(tf.matMul(tt(x), tf.tensor(k1, [5, 3])).add(tf.tensor(b1)));
    const y = tf.matMul(h, tf.tensor(k2, [3, 2])).add(tf.tensor(b2));
    const inner = { class_name: 'Sequential', config: { name: 'inner', layers: [layer('Dense', 'id', { units: 3, activation: 'tanh', use_bias: true })] } };
    const cfg = funcConfig([['x', [5]]], [['Dense', 'd', { units: 2, activation: 'linear', use_bias: true }, ['inner']]], ['d']);
    cfg.config.layers.splice(1, 0, { name: 'inner', ...inner, inbound_nodes: [[['x', 0, 0, {}]]] });
    return { config: cfg, weights: [['inner/id/kernel', [5, 3], k1], ['inner/id/bias', [3], b1], ['d/kernel', [3, 2], k2], ['d/bias', [2], b2]],
      inputs: [x], outputs: [arr(y)] };
  }, { google_ops: ['FULLY_CONNECTED', 'TANH', 'FULLY_CONNECTED'] });

  // Conv2DTranspose output_padding (tfjs lacks it): TensorFlow's conv2d_transpose for the output
  // size Keras computes, by loops (SAME: half the excess padding before).
  function tconvRef(x, H, W, I, k, kh, kw, O, bias, s, same, oh, ow) {
    const pt = same ? Math.floor(Math.max((H - 1) * s[0] + kh - oh, 0) / 2) : 0;
    const pl = same ? Math.floor(Math.max((W - 1) * s[1] + kw - ow, 0) / 2) : 0;
    const y = new Float64Array(oh * ow * O);
    for (let i = 0; i < oh * ow; i++) for (let o = 0; o < O; o++) y[i * O + o] = bias[o];
    for (let i = 0; i < H; i++) for (let j = 0; j < W; j++) for (let a = 0; a < kh; a++) for (let b = 0; b < kw; b++) {
      const r = i * s[0] + a - pt, q = j * s[1] + b - pl;
      if (r < 0 || r >= oh || q < 0 || q >= ow) continue;
      for (let o = 0; o < O; o++) {
        let acc = 0;
        for (let c = 0; c < I; c++) acc += x[(i * W + j) * I + c] * k[((a * kw + b) * O + o) * I + c];
        y[(r * ow + q) * O + o] += acc;
      }
    }
    return F(y, [1, oh, ow, O]);
  }
  for (const [nm, pad, st, op] of [['conv2d_transpose_output_padding_same', 'same', [2, 2], [1, 1]],
    ['conv2d_transpose_output_padding_valid', 'valid', [2, 3], [1, 2]]]) {
    H(nm, ['Conv2DTranspose'], (rnd) => {
      const Hh = 3, W = 3, I = 2, O = 3, K = 3;
      const x = rin(rnd, [1, Hh, W, I]);
      const k = uniform(rnd, [K, K, O, I], -0.5, 0.5), b = uniform(rnd, [O], -0.5, 0.5);
      const len = (n, i) => (n - 1) * st[i] + K - 2 * (pad === 'same' ? Math.floor(K / 2) : 0) + op[i];
      return { config: seqConfig([Hh, W, I], [layer('Conv2DTranspose', 't', { filters: O, kernel_size: [K, K], strides: st, padding: pad,
        output_padding: op, data_format: 'channels_last', dilation_rate: [1, 1], activation: 'linear', use_bias: true })]),
        weights: [['t/kernel', [K, K, O, I], k], ['t/bias', [O], b]], inputs: [x],
        outputs: [tconvRef(x.data, Hh, W, I, k, K, K, O, b, st, pad === 'same', len(Hh, 0), len(W, 1))] };
    }, { google_ops: ['TRANSPOSE_CONV'], note: 'tfjs lacks output_padding: reference by loops' });
  }

  // Bidirectional with an explicit backward_layer (tfjs cannot build one).
  function simpleRnnRef(x, T, I, U, k, rk, b, goBack) {
    let h = new Float64Array(U);
    const seqOut = [];
    for (let s = 0; s < T; s++) {
      const t = goBack ? T - 1 - s : s;
      const nh = new Float64Array(U);
      for (let u = 0; u < U; u++) {
        let a = b[u];
        for (let i = 0; i < I; i++) a += x[t * I + i] * k[i * U + u];
        for (let i = 0; i < U; i++) a += h[i] * rk[i * U + u];
        nh[u] = Math.tanh(a);
      }
      h = nh;
      seqOut.push(h);
    }
    return seqOut;
  }
  H('bidirectional_backward_layer', ['Bidirectional', 'SimpleRNN'], (rnd) => {
    const T = 4, I = 3, U = 2;
    const x = rin(rnd, [1, T, I]);
    const w = [], outs = [];
    for (const [dir, nm, back] of [['forward', 'fwd', false], ['backward', 'bwd', true]]) {
      const k = uniform(rnd, [I, U], -0.7, 0.7), rk = uniform(rnd, [U, U], -0.7, 0.7), b = uniform(rnd, [U], -0.5, 0.5);
      w.push([`bi/${dir}_${nm}/kernel`, [I, U], k], [`bi/${dir}_${nm}/recurrent_kernel`, [U, U], rk], [`bi/${dir}_${nm}/bias`, [U], b]);
      const seq = simpleRnnRef(x.data, T, I, U, k, rk, b, back);
      outs.push(back ? seq.slice().reverse() : seq); // Keras flips the backward sequence back
    }
    const y = new Float32Array(T * 2 * U);
    for (let t = 0; t < T; t++) { y.set(outs[0][t], t * 2 * U); y.set(outs[1][t], t * 2 * U + U); }
    const rnn = (nm, back) => ({ class_name: 'SimpleRNN', config: { name: nm, units: U, activation: 'tanh', use_bias: true,
      return_sequences: true, go_backwards: back, stateful: false } });
    return { config: seqConfig([T, I], [layer('Bidirectional', 'bi', { layer: rnn('fwd', false), backward_layer: rnn('bwd', true),
      merge_mode: 'concat' })]), weights: w, inputs: [x], outputs: [F(y, [1, T, 2 * U])] };
  });

  // ZeroPadding1D, Cropping1D, UpSampling1D (not in tfjs).
  for (const [nm, p, pr] of [['zero_padding1d_int', 2, [2, 2]], ['zero_padding1d_tuple', [1, 3], [1, 3]]]) {
    H(nm, ['ZeroPadding1D'], (rnd) => {
      const x = rin(rnd, [1, 4, 3]);
      return { config: seqConfig([4, 3], [layer('ZeroPadding1D', 'z', { padding: p })]), inputs: [x],
        outputs: [arr(tf.pad(tt(x), [[0, 0], pr, [0, 0]]))] };
    }, { google_ops: ['PAD'] });
  }
  for (const [nm, cr, lo, hi] of [['cropping1d', [1, 2], 1, 2], ['cropping1d_int', 1, 1, 1]]) {
    H(nm, ['Cropping1D'], (rnd) => {
      const x = rin(rnd, [1, 6, 2]);
      return { config: seqConfig([6, 2], [layer('Cropping1D', 'c', { cropping: cr })]), inputs: [x],
        outputs: [arr(tf.slice(tt(x), [0, lo, 0], [1, 6 - lo - hi, 2]))] };
    }, { google_ops: ['STRIDED_SLICE'] });
  }
  H('upsampling1d', ['UpSampling1D'], (rnd) => {
    const x = rin(rnd, [1, 3, 2]);
    const y = new Float32Array(3 * 3 * 2);
    for (let t = 0; t < 9; t++) for (let c = 0; c < 2; c++) y[t * 2 + c] = x.data[Math.floor(t / 3) * 2 + c];
    return { config: seqConfig([3, 2], [layer('UpSampling1D', 'u', { size: 3 })]), inputs: [x], outputs: [F(y, [1, 9, 2])] };
  }, { google_ops: ['SPLIT', 'CONCATENATION'], note: 'Keras\'s repeat_elements on a static length: split + concatenate' });

  // Normalization (not in tfjs): (x - mean) / max(sqrt(var), 1e-7).
  for (const [nm, shape, axis, invert] of [['normalization_rank2', [5], -1, false], ['normalization_rank3', [3, 4], -1, false],
    ['normalization_invert', [4], -1, true]]) {
    H(nm, ['Normalization'], (rnd) => {
      const C = shape[shape.length - 1];
      const x = rin(rnd, [1, ...shape], -2, 2);
      const mean = uniform(rnd, [C], -1, 1), vr = uniform(rnd, [C], 0.2, 3);
      const y = mapv(x, (v, i) => {
        const c = i % C, sd = Math.max(Math.sqrt(vr[c]), 1e-7);
        return invert ? mean[c] + v * sd : (v - mean[c]) / sd;
      });
      return { config: seqConfig(shape, [layer('Normalization', 'n', { axis, mean: null, variance: null, invert })]),
        weights: [['n/mean', [C], mean], ['n/variance', [C], vr], ['n/count', [], null]], inputs: [x], outputs: [y] };
    }, { google_ops: invert ? ['MUL', 'ADD'] : ['SUB|ADD', 'DIV|MUL'], note: 'adapted mean / variance as weights' });
  }

  // Global pooling with keepdims (not in tfjs).
  for (const [nm, cls, shape, axes, op] of [['global_average_pooling2d_keepdims', 'GlobalAveragePooling2D', [3, 4, 2], [1, 2], 'MEAN'],
    ['global_max_pooling1d_keepdims', 'GlobalMaxPooling1D', [5, 3], [1], 'REDUCE_MAX']]) {
    H(nm, [cls], (rnd) => {
      const x = rin(rnd, [1, ...shape]);
      const y = op === 'MEAN' ? tf.mean(tt(x), axes, true) : tf.max(tt(x), axes, true);
      return { config: seqConfig(shape, [layer(cls, 'g', { data_format: 'channels_last', keepdims: true })]), inputs: [x], outputs: [arr(y)] };
    }, { google_ops: [op] });
  }

  // GRU reset_after=True (tfjs refuses it): Keras's cell, step by step.
  function gruRef(x, T, I, U, k, rk, bias, resetAfter, goBack, retSeq) {
    // Keras GRUCell: z, r, h gate order; reset_after applies r to the recurrent projection
    // (with its own bias row), reset_before to h before the projection.
    let h = new Float64Array(U);
    const seqOut = [];
    const bi = bias ? bias.subarray(0, 3 * U) : null, br = bias && resetAfter ? bias.subarray(3 * U, 6 * U) : null;
    const dot = (v, n, m, col) => { let a = 0; for (let i = 0; i < n; i++) a += v[i] * m[i * 3 * U + col]; return a; };
    for (let s = 0; s < T; s++) {
      const t = goBack ? T - 1 - s : s;
      const xt = x.subarray(t * I, (t + 1) * I);
      const xp = new Float64Array(3 * U), hp = new Float64Array(3 * U);
      for (let j = 0; j < 3 * U; j++) {
        xp[j] = (bi ? bi[j] : 0) + dot(xt, I, k, j);
        hp[j] = (br ? br[j] : 0) + dot(h, U, rk, j);
      }
      const z = new Float64Array(U), r = new Float64Array(U), nh = new Float64Array(U);
      for (let u = 0; u < U; u++) { z[u] = sigm(xp[u] + hp[u]); r[u] = sigm(xp[U + u] + hp[U + u]); }
      const rh = Float64Array.from(h, (v, i) => r[i] * v);
      for (let u = 0; u < U; u++) {
        const hh = Math.tanh(resetAfter ? xp[2 * U + u] + r[u] * hp[2 * U + u] : xp[2 * U + u] + dot(rh, U, rk, 2 * U + u));
        nh[u] = z[u] * h[u] + (1 - z[u]) * hh;
      }
      h = nh;
      seqOut.push(Float32Array.from(h));
    }
    if (!retSeq) return F(h, [1, U]);
    const y = new Float32Array(T * U);
    seqOut.forEach((v, i) => y.set(v, i * U));
    return F(y, [1, T, U]);
  }
  for (const [nm, o] of [['gru_reset_after', {}], ['gru_reset_after_seq', { return_sequences: true }],
    ['gru_reset_after_backwards_seq', { return_sequences: true, go_backwards: true }]]) {
    H(nm, ['GRU'], (rnd) => {
      const T = 5, I = 3, U = 4;
      const x = rin(rnd, [1, T, I]);
      const k = uniform(rnd, [I, 3 * U], -0.6, 0.6), rk = uniform(rnd, [U, 3 * U], -0.6, 0.6), b = uniform(rnd, [2, 3 * U], -0.5, 0.5);
      const cfg = { units: U, activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true, return_sequences: false,
        return_state: false, go_backwards: false, stateful: false, unroll: false, reset_after: true, ...o };
      return { config: seqConfig([T, I], [layer('GRU', 'g', cfg)]), weights: [['g/kernel', [I, 3 * U], k], ['g/recurrent_kernel', [U, 3 * U], rk],
        ['g/bias', [2, 3 * U], b]], inputs: [x], outputs: [gruRef(x.data, T, I, U, k, rk, b, true, !!o.go_backwards, !!o.return_sequences)] };
    }, { note: 'tfjs refuses reset_after=True: reference by Keras\'s GRU cell in JS' });
  }
  H('bidirectional_gru_reset_after', ['Bidirectional', 'GRU'], (rnd) => {
    const T = 4, I = 3, U = 3;
    const x = rin(rnd, [1, T, I]);
    const w = [];
    const ys = [];
    for (const dir of ['forward_g', 'backward_g']) {
      const k = uniform(rnd, [I, 3 * U], -0.6, 0.6), rk = uniform(rnd, [U, 3 * U], -0.6, 0.6), b = uniform(rnd, [2, 3 * U], -0.5, 0.5);
      w.push([`bi/${dir}/kernel`, [I, 3 * U], k], [`bi/${dir}/recurrent_kernel`, [U, 3 * U], rk], [`bi/${dir}/bias`, [2, 3 * U], b]);
      ys.push(gruRef(x.data, T, I, U, k, rk, b, true, dir.startsWith('backward'), false));
    }
    const y = new Float32Array(2 * U);
    y.set(ys[0].data, 0);
    y.set(ys[1].data, U);
    const g = { class_name: 'GRU', config: { name: 'g', units: U, activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true,
      return_sequences: false, go_backwards: false, stateful: false, reset_after: true } };
    return { config: seqConfig([T, I], [layer('Bidirectional', 'bi', { layer: g, merge_mode: 'concat' })]), weights: w, inputs: [x],
      outputs: [F(y, [1, 2 * U])] };
  });
}

module.exports = { register };
