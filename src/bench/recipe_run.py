"""Runs the reference recipe's own TensorFlow code (../shared/recipe, unchanged) for issue 22's benchmarks.

  recipe_run.py train RECIPE TRAIN_DIR VAL_DIR SIZE FILTERS BATCH LR EPOCHS THREADS OUT.csv
      the recipe's model (models/backbones.unet3plus_backbone + models/unet3plus.unet3plus at
      widths FILTERS * (1, 2, 4, 8, 16)), compiled as train.py compiles it (Adam(LR),
      unet3p_hybrid_loss, MeanMetricWrapper(DiceCoefficient(post_processed=True))), fed by its
      tf_data_generator.DataGenerator; model.fit driven here (train.py's fit(workers=) and Hydra do
      not run under Keras 3). Writes epoch,train_loss,val_dice,seconds per epoch.
  recipe_run.py infer RECIPE BACKBONE SIZE FILTERS BATCH WARMUP STEPS THREADS
      benchmark_inference.benchmark_time itself (the recipe's timing loop: predict_on_batch +
      postprocess_mask, mean over the steps after the warm-up, "Latency" and "Throughput/FPS"),
      on random weights saved in the Keras 2 .hdf5 layout it loads, over random slices written in
      the recipe's layout. vgg19 is Keras' VGG19 (fixed widths 64..512): FILTERS must be 64 there.

Keras 3 changes worked around, as ../shared/recipe/ABOUT.md lists them: omegaconf, matplotlib and
hydra are stubbed (type hints, plots, the @hydra.main decorator); DiceCoefficient's
add_weight(aggregation=) is dropped; model.prepare_model's fixed widths are replaced by a call of the
recipe's own backbone and unet3plus functions with the asked widths.
"""
import os
import sys
import time
import types


def stub_modules():
    """omegaconf, matplotlib and hydra: imported by the recipe, used only for hints, plots and the CLI."""
    omegaconf = types.ModuleType("omegaconf")
    omegaconf.DictConfig = dict
    sys.modules["omegaconf"] = omegaconf
    mpl = types.ModuleType("matplotlib")
    mpl.pyplot = types.ModuleType("matplotlib.pyplot")
    sys.modules["matplotlib"] = mpl
    sys.modules["matplotlib.pyplot"] = mpl.pyplot
    hydra = types.ModuleType("hydra")
    hydra.main = lambda **kw: (lambda f: f)
    sys.modules["hydra"] = hydra


class Cfg(dict):
    """The recipe's DictConfig as far as it reads it: attributes, items, keys()."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError as e:
            raise AttributeError(name) from e


def cfg_of(d):
    return Cfg({k: cfg_of(v) if isinstance(v, dict) else v for k, v in d.items()})


def config(work, train_dir, val_dir, size, batch, backbone="unet3plus"):
    """configs/config.yaml's keys the generator and benchmark read (CPU: no AMP, no XLA).

    NB: the recipe joins WORK_DIR and the dataset paths with a separator (utils.join_paths), so the
    dataset paths are given relative to WORK_DIR."""
    train_dir, val_dir = os.path.relpath(train_dir, work), os.path.relpath(val_dir, work)
    return cfg_of({
        "WORK_DIR": work,
        "DATASET": {"TRAIN": {"IMAGES_PATH": os.path.join(train_dir, "images"), "MASK_PATH": os.path.join(train_dir, "mask")},
                    "VAL": {"IMAGES_PATH": os.path.join(val_dir, "images"), "MASK_PATH": os.path.join(val_dir, "mask")}},
        "MODEL": {"TYPE": "unet3plus", "WEIGHTS_FILE_NAME": "model_unet3plus", "BACKBONE": {"TYPE": backbone}},
        "SEED": 5, "INPUT": {"HEIGHT": size, "WIDTH": size, "CHANNELS": 3}, "OUTPUT": {"CLASSES": 2},
        "HYPER_PARAMETERS": {"EPOCHS": 1, "BATCH_SIZE": batch, "LEARNING_RATE": 5e-5},
        "CALLBACKS": {"MODEL_CHECKPOINT": {"PATH": "checkpoint"}},
        "PREPROCESS_DATA": {"RESIZE": {"VALUE": False, "HEIGHT": size, "WIDTH": size}, "IMAGE_PREPROCESSING_TYPE": "normalize",
                            "NORMALIZE_MASK": {"VALUE": False, "NORMALIZE_VALUE": 255},
                            "SHUFFLE": {"TRAIN": {"VALUE": True}, "VAL": {"VALUE": False}}},
        "OPTIMIZATION": {"AMP": False, "XLA": False},
    })


def setup(recipe, threads):
    stub_modules()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    sys.path.insert(0, recipe)
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    import keras
    add_weight = keras.metrics.Metric.add_weight

    def add_weight_keras3(self, *args, aggregation=None, **kwargs):  # Keras 3 refuses aggregation=
        return add_weight(self, *args, **kwargs)

    keras.metrics.Metric.add_weight = add_weight_keras3
    return tf


def build_model(tf, size, filters, backbone="unet3plus"):
    """models/model.prepare_model with the widths as a parameter (the recipe hard-codes 64..1024)."""
    from models import backbones
    from models.unet3plus import unet3plus
    widths = [filters * m for m in (1, 2, 4, 8, 16)]
    inp = tf.keras.layers.Input(shape=[size, size, 3], name="input_layer")
    if backbone == "unet3plus":
        layers = backbones.unet3plus_backbone(inp, widths)
    elif backbone == "vgg19":
        if filters != 64: sys.exit("recipe_run.py: the recipe's vgg19 encoder is Keras' VGG19 at widths 64..512; filters must be 64")
        layers = backbones.vgg19_backbone(inp)
    else:
        sys.exit("recipe_run.py: unknown backbone " + backbone)
    outputs, name = unet3plus(layers, 2, widths)
    return tf.keras.Model(inputs=inp, outputs=outputs, name=name)


def train(recipe, train_dir, val_dir, size, filters, batch, lr, epochs, threads, out):
    tf = setup(recipe, threads)
    import numpy as np
    from data_generators.tf_data_generator import DataGenerator
    from losses.loss import DiceCoefficient
    from losses.unet_loss import unet3p_hybrid_loss
    tf.keras.utils.set_random_seed(5)  # the recipe seeds numpy (SEED 5) in its generator; this also fixes the initial weights
    cfg = config(os.path.dirname(out), train_dir, val_dir, size, batch)
    model = build_model(tf, size, filters)
    dice = tf.keras.metrics.MeanMetricWrapper(name="dice_coef", fn=DiceCoefficient(post_processed=True, classes=2))
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=lr), loss=unet3p_hybrid_loss, metrics=[dice])
    train_gen, val_gen = DataGenerator(cfg, mode="TRAIN"), DataGenerator(cfg, mode="VAL")

    class EpochTime(tf.keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.t0 = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            logs["seconds"] = time.perf_counter() - self.t0

    rows = []

    class Rows(tf.keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            rows.append((epoch + 1, logs["loss"], logs["val_dice_coef"], logs["seconds"]))
            print(f"epoch {epoch + 1}: loss {logs['loss']:.4f} val_dice {logs['val_dice_coef']:.4f} {logs['seconds']:.1f} s", flush=True)

    model.fit(x=train_gen, steps_per_epoch=len(train_gen), validation_data=val_gen, validation_steps=len(val_gen), epochs=epochs,
              callbacks=[EpochTime(), Rows()], verbose=0)
    with open(out, "w") as f:
        f.write("epoch,train_loss,val_dice,seconds\n")
        for r in rows:
            f.write("%d,%.6f,%.6f,%.3f\n" % r)
    print("tensorflow", tf.__version__, "train/val slices", len(train_gen.images_paths), len(val_gen.images_paths), "batches", len(train_gen))


def infer(recipe, backbone, size, filters, batch, warmup, steps, threads):
    tf = setup(recipe, threads)
    import tempfile
    import numpy as np
    import cv2
    work = tempfile.mkdtemp(prefix="recipe-infer-")
    val = os.path.join(work, "val")
    os.makedirs(os.path.join(val, "images"))
    os.makedirs(os.path.join(val, "mask"))
    rng = np.random.default_rng(5)
    for k in range(batch * (warmup + steps + 1)):  # benchmark_time stops after warmup + bench steps
        cv2.imwrite(os.path.join(val, "images", "image_0_%d.png" % k), rng.integers(0, 256, (size, size, 3), dtype=np.uint8))
        cv2.imwrite(os.path.join(val, "mask", "mask_0_%d.png" % k), rng.integers(0, 2, (size, size), dtype=np.uint8))
    cfg = config(work, val, val, size, batch, backbone)
    cfg["warmup_steps"], cfg["bench_steps"] = warmup, steps
    tf.keras.utils.set_random_seed(5)
    model = build_model(tf, size, filters, backbone)
    os.makedirs(os.path.join(work, "checkpoint"))
    from keras.src.legacy.saving import legacy_h5_format
    import h5py
    with h5py.File(os.path.join(work, "checkpoint", "model_unet3plus.hdf5"), "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, model)
    import benchmark_inference
    benchmark_inference.prepare_model = lambda c, training=False: build_model(tf, size, filters, backbone)
    # The recipe's loop reads its clock (timeit.default_timer) at the start and end of every step;
    # the process CPU time is noted at the same two points, for a figure that load changes less.
    marks = []

    def timer():
        marks.append(time.process_time())
        return time.perf_counter()

    benchmark_inference.timer = timer
    print("tensorflow", tf.__version__, "backbone", backbone, "size", size, "filters", filters, "batch", batch, "threads", threads, flush=True)
    benchmark_inference.benchmark_time(cfg)
    cpu = [marks[2 * i + 1] - marks[2 * i] for i in range(len(marks) // 2)][warmup:]
    print("CPU: %.2f msec per batch (process user + system time over the timed steps)" % (1000 * sum(cpu) / len(cpu)))


if __name__ == "__main__":
    a = sys.argv[1:]
    if a and a[0] == "train" and len(a) == 11:
        train(a[1], a[2], a[3], int(a[4]), int(a[5]), int(a[6]), float(a[7]), int(a[8]), int(a[9]), a[10])
    elif a and a[0] == "infer" and len(a) == 9:
        infer(a[1], a[2], int(a[3]), int(a[4]), int(a[5]), int(a[6]), int(a[7]), int(a[8]))
    else:
        sys.exit(__doc__)
