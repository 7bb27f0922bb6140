// UNet3+ LiTS pipeline: prepare -> train -> segment -> evaluate, as a Fiji user runs it.
//
// Arguments (ImageJ option syntax, key=value or key=[value with spaces]):
//   data=<folder>    LiTS volumes: either train/, validation/ and test/ subfolders of
//                    volume-N.nii[.gz] + segmentation-N.nii[.gz] (like sample-data/lits), or one
//                    flat folder (then it is used for all three, which only shows the mechanics)
//   out=<folder>     receives prep/, model/ (with training/curve.png), labels/, overlays/, metrics.csv
//                    and the seed Dice beside it (must not hold a model yet)
//   size=128 filters=16 epochs=5 batch=4 backbone=unet3plus learning_rate=1e-3 seed=5
//   bn_recalibrate=auto
//                    CPU-sized demo defaults; the seed recipe is size=320 filters=64
//                    backbone=vgg19 batch=16 epochs=100 learning_rate=5e-5 bn_recalibrate=0
//                    (bn_recalibrate re-estimates BatchNorm statistics after each epoch: with only
//                    tens of steps per epoch, Keras' moving averages lag the weights; auto, Train's
//                    default, does so from 50 batches when an epoch has fewer than 459 batches:
//                    the 200 sample slices at batch 4 are 50)
//   largest_component=false fill_holes=false   post-processing of the segmentation
//   init=<bundle>    optional: fine-tune this model (from UNet3+ Train or UNet3+ Import) instead
//                    of random weights; its architecture must be unet3plus with the backbone/filters given
//
// Fiji:      fiji-linux-x64 --headless -macro lits_pipeline.ijm 'data=/path/lits out=/tmp/demo'
// Launcher:  ./unet3p --headless -macro macros/lits_pipeline.ijm 'data=sample-data/lits out=/tmp/demo'
// Use absolute paths in Fiji: relative ones resolve against Fiji's working folder.
//
// NB: every key is passed explicitly, booleans as key=true/false. In Fiji a key left out of
// run(...) takes the value last used in that command's dialog, and a bare "key" is not read
// as true for these (SciJava) commands.

args = getArgument() + " ";
data = option(args, "data", "");
out = option(args, "out", "");
if (data == "" || out == "")
	exit("lits_pipeline.ijm needs data=<LiTS folder> and out=<output folder>; got '" + getArgument() + "'");
size = option(args, "size", "128");
filters = option(args, "filters", "16");
epochs = option(args, "epochs", "5");
batch = option(args, "batch", "4");
backbone = option(args, "backbone", "unet3plus");
rate = option(args, "learning_rate", "1e-3");
recalibrate = option(args, "bn_recalibrate", "auto");
seed = option(args, "seed", "5");
init = option(args, "init", "");
largest = option(args, "largest_component", "false");
holes = option(args, "fill_holes", "false");

trainData = data; validationData = data; testData = data;
if (File.isDirectory(data + File.separator + "train")) {
	trainData = data + File.separator + "train";
	validationData = data + File.separator + "validation";
	testData = data + File.separator + "test";
} else
	print("lits_pipeline: " + data + " has no train/validation/test split; using all of it for each step.");

prep = out + File.separator + "prep";
model = out + File.separator + "model";
labels = out + File.separator + "labels";
metrics = out + File.separator + "metrics.csv";

print("1/4 Preprocess (size " + size + ")");
run("UNet3+ Preprocess", "input=[" + trainData + "] output=[" + prep + File.separator + "train] hu_min=-200 hu_max=250 size=" + size + " overwrite=false");
run("UNet3+ Preprocess", "input=[" + validationData + "] output=[" + prep + File.separator + "validation] hu_min=-200 hu_max=250 size=" + size + " overwrite=false");
run("UNet3+ Preprocess", "input=[" + testData + "] output=[" + prep + File.separator + "test] hu_min=-200 hu_max=250 size=" + size + " overwrite=false");

print("2/4 Train (" + epochs + " epochs, filters " + filters + ", " + backbone + ")");
run("UNet3+ Train", "train=[" + prep + File.separator + "train] validation=[" + prep + File.separator + "validation] model=[" + model + "]"
	+ " init=[" + init + "] variant=unet3plus backbone=" + backbone + " filters=" + filters + " classes=2 epochs=" + epochs + " batch=" + batch
	+ " learning_rate=" + rate + " loss=hybrid seed=" + seed + " patience=" + epochs + " resume=false augment=none cache=false clip_norm=0 devices=cpu bn_recalibrate=" + recalibrate);

print("3/4 Segment Files");
run("UNet3+ Segment Files", "model=[" + model + "] input=[" + testData + "] output=[" + labels + "] batch=" + batch
	+ " largest_component=" + largest + " fill_holes=" + holes + " tta_flip=false probabilities=false precision=fp32 engine=pytorch overwrite=true skip_existing=false");

print("4/4 Evaluate (LiTS metrics of the label volumes, and the seed's slice-wise Dice)");
// Evaluate pairs files by case number; the CT files (volume-N) of the LiTS folder are passed over.
run("UNet3+ Evaluate", "prediction=[" + labels + "] truth=[" + testData + "] output=[" + metrics + "] model=[" + model + "] data=[" + prep
	+ File.separator + "test] batch=" + batch + " precision=fp32 engine=pytorch label=liver");
if (!File.exists(metrics)) exit("lits_pipeline: UNet3+ Evaluate wrote no " + metrics);

print("Overlays: CT slices with the predicted (red) and true (green) liver outline");
names = getFileList(testData);
for (i = 0; i < names.length; i++) {
	if (!startsWith(names[i], "volume-")) continue;
	n = replace(replace(replace(names[i], "volume-", ""), ".gz", ""), ".nii", "");
	truthFile = testData + File.separator + "segmentation-" + n + ".nii.gz";
	if (!File.exists(truthFile)) truthFile = testData + File.separator + "segmentation-" + n + ".nii";
	run("UNet3+ Overlay", "ct=[" + testData + File.separator + names[i] + "] prediction=[" + labels + File.separator + "segmentation-" + n
		+ ".nii.gz] truth=[" + truthFile + "] output=[" + out + File.separator + "overlays] slices=4 hu_min=-200 hu_max=250 zoom=2");
}
print("Done: model in " + model + ", labels in " + labels + ", metrics in " + metrics);
lines = split(File.openAsString(metrics), "\n");
for (i = 0; i < lines.length; i++)
	print("  " + lines[i]);

// The value of key in ImageJ's option syntax, or def.
function option(options, key, def) {
	return call("ij.Macro.getValue", options, key, def);
}
