// UNet3+ on the active image: segments it, outlines the liver on it (overlay) and shows the labels.
//
// Arguments (optional; key=value or key=[value with spaces]):
//   model=<bundle folder>   asked for when missing and a screen is available
//   image=<file>            opened first (otherwise the active image is used)
//   largest_component=true fill_holes=true tta_flip=false batch=4 precision=fp32 engine=pytorch
//
// Fiji: open a CT stack in HU (File > Open, or File > Import > Bio-Formats), then
//       Plugins > Macros > Run... > segment_open_image.ijm
// Launcher (headless, no window): ./unet3p --headless -macro macros/segment_open_image.ijm 'model=/m image=/ct.tif'

args = getArgument() + " ";
model = option(args, "model", "");
file = option(args, "image", "");
if (file != "") open(file);
if (nImages == 0) exit("segment_open_image.ijm: open a CT stack first, or pass image=<file>.");
if (model == "") {
	if (is("Batch Mode") || getArgument() != "") exit("segment_open_image.ijm needs model=<bundle folder>.");
	model = getDirectory("UNet3+ model bundle");
}
title = getTitle();
run("UNet3+ Segment", "model=[" + model + "] input=[" + title + "] batch=" + option(args, "batch", "4")
	+ " largest_component=" + option(args, "largest_component", "true")
	+ " fill_holes=" + option(args, "fill_holes", "true")
	+ " tta_flip=" + option(args, "tta_flip", "false")
	+ " probabilities=false outline=true"
	+ " precision=" + option(args, "precision", "fp32") + " engine=" + option(args, "engine", "pytorch"));

// The label image is named after the input without its extension.
labels = "";
for (i = 1; i <= nImages; i++) {
	selectImage(i);
	if (endsWith(getTitle(), "-labels")) labels = getTitle();
}
if (labels == "") exit("segment_open_image.ijm: UNet3+ Segment produced no label image.");
selectImage(labels);
getVoxelSize(vw, vh, vd, unit);
liverVoxels = 0;
for (z = 1; z <= nSlices; z++) {
	setSlice(z);
	getHistogram(values, counts, 256);
	for (v = 1; v < 256; v++) liverVoxels += counts[v];
}
volume = "";
if (unit == "mm") volume = " = " + d2s(liverVoxels * vw * vh * vd / 1000, 1) + " ml";
print(title + ": " + liverVoxels + " liver voxels" + volume + " (labels: " + labels + ")");
selectImage(title);
Overlay.show;

function option(options, key, def) {
	return call("ij.Macro.getValue", options, key, def);
}
