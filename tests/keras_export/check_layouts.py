#!/usr/bin/python3
"""check_layouts.py OUR.h5 OUR.keras SHARED_DIR
Checks that the files tools/keras_export writes follow the real Keras layouts, by comparing
their structure with real Keras files in ../shared/models/keras (read with h5py / zipfile):
  .h5    (tf.keras 2.x): root attributes keras_version / backend / model_config; model_weights
         with layer_names / keras_version / backend; per layer a weight_names attribute of
         "<layer>/<var>:0" names, each the path of a float dataset under the layer's group;
         model_config a {"class_name", "config": {"name", "layers": [{"class_name", "config"}]}}
         document whose first layer is an InputLayer with batch_input_shape.
  .keras (Keras 3): zip entries metadata.json, config.json, model.weights.h5; the config's
         top-level and per-layer keys as Keras 3 writes them; weights at layers/<name>/vars/<i>.
Exit 0 when every property the real files have, ours have too."""
import io
import json
import sys
import zipfile

import h5py

ours_h5, ours_keras, shared = sys.argv[1:4]
REAL_H5 = shared + "/models/keras/mlc_resnet8.h5"         # tf.keras 2.4 Functional
REAL_H5_SEQ = shared + "/models/keras/dcgan_gen.h5"       # tf.keras 2.3 Sequential
REAL_KERAS = shared + "/models/keras/mnist_cnn.keras"     # Keras 3.14 Sequential
fails = []


def check(cond, what):
    if not cond:
        fails.append(what)


def h5_props(path):
    f = h5py.File(path, "r")
    p = {"root_attrs": set(f.attrs.keys()) & {"keras_version", "backend", "model_config"},
         "mw_attrs": set(f["model_weights"].attrs.keys()) & {"layer_names", "keras_version", "backend"}}
    cfg = json.loads(f.attrs["model_config"])
    p["config_keys"] = set(cfg.keys()) & {"class_name", "config"}
    layers = cfg["config"]["layers"] if isinstance(cfg["config"], dict) else cfg["config"]
    p["layer_keys"] = set.intersection(*[set(l.keys()) for l in layers]) & {"class_name", "config"}
    names = [n.decode() if isinstance(n, bytes) else n for n in f["model_weights"].attrs["layer_names"]]
    p["all_layers_listed"] = len(names) == len(layers)
    ok_names = True
    for n in names:
        g = f["model_weights"][n]
        for w in g.attrs.get("weight_names", []):
            w = w.decode() if isinstance(w, bytes) else w
            ok_names &= w.startswith(n + "/") and w.endswith(":0") and isinstance(g[w], h5py.Dataset)
    p["weight_names_are_paths"] = ok_names
    p["string_attr_kind"] = type(f["model_weights"].attrs["layer_names"][0]).__name__
    return p, layers


real, _ = h5_props(REAL_H5)
real_seq, real_layers = h5_props(REAL_H5_SEQ)
mine, my_layers = h5_props(ours_h5)
for k in ("root_attrs", "mw_attrs", "config_keys", "layer_keys", "all_layers_listed", "weight_names_are_paths", "string_attr_kind"):
    check(mine[k] == real[k] == real_seq[k], f".h5 {k}: ours {mine[k]!r}, real {real[k]!r} / {real_seq[k]!r}")
# tf.keras <= 2.3 puts batch_input_shape on the first layer; 2.4+ adds an InputLayer holding it.
check("batch_input_shape" in my_layers[0]["config"] and "batch_input_shape" in real_layers[0]["config"],
      ".h5: the first layer lacks batch_input_shape")
check(my_layers[0]["class_name"] in ("InputLayer", real_layers[0]["class_name"]), ".h5: unexpected first layer")


def keras_props(path):
    z = zipfile.ZipFile(path)
    names = set(z.namelist())
    cfg = json.loads(z.read("config.json"))
    meta = json.loads(z.read("metadata.json"))
    w = h5py.File(io.BytesIO(z.read("model.weights.h5")), "r")
    layer_keys = set.intersection(*[set(l.keys()) for l in cfg["config"]["layers"]])
    var_paths = []
    w["layers"].visititems(lambda n, o: var_paths.append(n) if isinstance(o, h5py.Dataset) else None)
    vars_ok = all(p.split("/")[-2] == "vars" and p.split("/")[-1].isdigit() for p in var_paths)
    return {"entries": names & {"metadata.json", "config.json", "model.weights.h5"},
            "top_keys": set(cfg.keys()) & {"module", "class_name", "config", "registered_name", "build_config"},
            "layer_keys": layer_keys & {"module", "class_name", "config", "registered_name"},
            "meta_keys": set(meta.keys()) & {"keras_version", "date_saved"},
            "first_layer": cfg["config"]["layers"][0]["class_name"],
            "batch_shape": "batch_shape" in cfg["config"]["layers"][0]["config"],
            "vars_layout": vars_ok and len(var_paths) > 0}


rk, mk = keras_props(REAL_KERAS), keras_props(ours_keras)
for k in rk:
    check(mk[k] == rk[k], f".keras {k}: ours {mk[k]!r}, real {rk[k]!r}")
if fails:
    print("layout differences:\n  " + "\n  ".join(fails))
    sys.exit(1)
print("ok: .h5 and .keras layouts match the real Keras files")
