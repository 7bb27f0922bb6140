// UNet3+ batch segmentation of a folder (or one file) with a trained model bundle.
//
// Arguments (key=value or key=[value with spaces]):
//   model=<bundle folder>   written by UNet3+ Train
//   input=<folder or file>  NIfTI/TIFF/DICOM volumes, a DICOM series folder, or volume-N.nii[.gz]
//   output=<folder or file> labels in each input's own grid and header
//   batch=4 largest_component=false fill_holes=false tta_flip=false probabilities=false
//   precision=fp32 engine=pytorch
//   overwrite=false skip_existing=false (true: segment only inputs without a label file, e.g. after a crash)
//
// Fiji:      fiji-linux-x64 --headless -macro segment_folder.ijm 'model=/m input=/ct output=/labels'
// Launcher:  ./unet3p --headless -macro macros/segment_folder.ijm 'model=/tmp/demo/model input=sample-data/lits/test output=/tmp/labels'
// Without arguments (in Fiji with a screen) it asks for the three folders.

args = getArgument() + " ";
model = option(args, "model", "");
input = option(args, "input", "");
output = option(args, "output", "");
if (model == "" && getArgument() == "" && !is("Batch Mode")) {
	model = getDirectory("UNet3+ model bundle");
	input = getDirectory("Folder of CT volumes to segment");
	output = getDirectory("Folder for the label volumes");
}
if (model == "" || input == "" || output == "")
	exit("segment_folder.ijm needs model=<bundle> input=<folder or file> output=<folder or file>; got '" + getArgument() + "'");

options = "model=[" + model + "] input=[" + input + "] output=[" + output + "]"
	+ " batch=" + option(args, "batch", "4")
	+ " largest_component=" + option(args, "largest_component", "false")
	+ " fill_holes=" + option(args, "fill_holes", "false")
	+ " tta_flip=" + option(args, "tta_flip", "false")
	+ " probabilities=" + option(args, "probabilities", "false")
	+ " precision=" + option(args, "precision", "fp32")
	+ " engine=" + option(args, "engine", "pytorch")
	+ " overwrite=" + option(args, "overwrite", "false")
	+ " skip_existing=" + option(args, "skip_existing", "false");
start = getTime();
run("UNet3+ Segment Files", options);
print("Segmented " + input + " -> " + output + " in " + d2s((getTime() - start) / 1000, 1) + " s");

function option(options, key, def) {
	return call("ij.Macro.getValue", options, key, def);
}
