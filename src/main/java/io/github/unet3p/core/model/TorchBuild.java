package io.github.unet3p.core.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import io.github.unet3p.core.util.InvalidInputException;

/**
 * Which PyTorch build this JVM loads: the one place that decides it, read once per JVM by
 * {@link TorchEngine} (DJL's engine is a singleton: a choice holds until the JVM ends).
 *
 * <h2>The choice</h2>
 * {@value #ENV} (environment variable), else the system property {@value #PROPERTY}, else the
 * preference saved by {@code UNet3+ Engine} ({@value #PREFERENCE_FILE} in {@link #home}), else
 * {@code cpu}:
 * <ul>
 * <li>{@code cpu}: the CPU build shipped with the plugin ({@code pytorch-native-cpu} on the class path);</li>
 * <li>{@code cuda}: DJL's CUDA build of PyTorch {@value #PYTORCH_VERSION} ({@value #CUDA_FLAVOR}),
 * fetched once by {@link TorchDownload} into {@link #cudaFolder} — DJL's own cache layout
 * {@code <cache>/pytorch/<version>-<flavour>-<os>-<arch>/} — and loaded from there offline;</li>
 * <li>a folder: an existing libtorch (a libtorch download's {@code lib}, a pip torch's
 * {@code torch/lib}, a DJL cache folder). Its flavour ({@code cpu}, {@code cu128}, …) is read
 * from the folder ({@code ../version.py}, {@code ../build-version}, the DJL folder name) or given
 * with {@value #FLAVOR_ENV} / {@value #FLAVOR_PROPERTY}.</li>
 * </ul>
 * Wrong combinations are refused with one message: a folder without libtorch, a libtorch of
 * another version than the shipped JNI (unless the folder brings its own JNI), a flavour without a
 * JNI, a flavour that contradicts the choice, or DJL's own {@code PYTORCH_*} environment variables
 * contradicting it (DJL lets an environment variable win over anything this class sets).
 *
 * <p>NB: nothing else in the plugin reads {@code PYTORCH_*}, {@code ENGINE_CACHE_DIR} or
 * {@code ai.djl.*} settings; {@link #djlProperties} lists what {@link TorchEngine} sets, only while
 * the engine starts.
 */
public final class TorchBuild {

	/** Environment variable choosing the build: {@code cpu}, {@code cuda} or a folder. */
	public static final String ENV = "UNET3P_TORCH";
	/** System property choosing the build when {@link #ENV} is not set. */
	public static final String PROPERTY = "unet3p.torch";
	/** Environment variable giving a folder's flavour ({@code cpu}, {@code cu128}, …). */
	public static final String FLAVOR_ENV = "UNET3P_TORCH_FLAVOR";
	/** System property giving a folder's flavour when {@link #FLAVOR_ENV} is not set. */
	public static final String FLAVOR_PROPERTY = "unet3p.torch.flavor";
	/** Environment variable naming the plugin's settings and cache folder. */
	public static final String HOME_ENV = "UNET3P_HOME";
	/** System property naming the plugin's settings and cache folder when {@link #HOME_ENV} is not set. */
	public static final String HOME_PROPERTY = "unet3p.home";
	/** The preference file in {@link #home}: keys {@code torch} and {@code flavor}. */
	public static final String PREFERENCE_FILE = "engine.properties";
	/** The PyTorch version DJL 0.36's JNI (shipped with the plugin) is built for. */
	public static final String PYTORCH_VERSION = "2.7.1";
	/** The DJL version of the shipped JNI. */
	public static final String DJL_VERSION = "0.36.0";
	/** The CUDA flavour of DJL's CUDA build of PyTorch 2.7.1 and of the shipped CUDA JNI. */
	public static final String CUDA_FLAVOR = "cu128";

	/** What kind of build. */
	public enum Kind {
		/** The bundled CPU build. */
		CPU("cpu"),
		/** DJL's CUDA build, fetched into the plugin's cache. */
		CUDA("cuda"),
		/** A libtorch folder on this machine. */
		FOLDER("folder");

		private final String key;

		Kind(final String key) {
			this.key = key;
		}

		/** The value users type ({@code folder} stands for a path). */
		public String key() {
			return key;
		}
	}

	/**
	 * Where the choice is read from: environment variables, system properties and the machine's
	 * OS/architecture as DJL names it ({@code linux-x86_64}, {@code win-x86_64}, {@code osx-aarch64}, …).
	 */
	public record Environment(Map<String, String> variables, Map<String, String> properties, String classifier) {

		/** This JVM's environment. */
		public static Environment system() {
			final Map<String, String> props = new LinkedHashMap<>();
			for (final String name : System.getProperties().stringPropertyNames())
				props.put(name, System.getProperty(name));
			return new Environment(System.getenv(), props, TorchBuild.classifier(System.getProperty("os.name", ""), System.getProperty("os.arch", "")));
		}

		String variable(final String name) {
			final String v = variables.get(name);
			return v == null || v.isBlank() ? null : v.trim();
		}

		String property(final String name) {
			final String v = properties.get(name);
			return v == null || v.isBlank() ? null : v.trim();
		}
	}


	private final Kind kind;
	private final String origin;
	private final Path folder;
	private final String flavor;
	private final String version;
	private final boolean ownJni;
	private final String classifier;

	private TorchBuild(final Kind kind, final String origin, final Path folder, final String flavor, final String version, final boolean ownJni,
			final String classifier) {
		this.kind = kind;
		this.origin = origin;
		this.folder = folder;
		this.flavor = flavor;
		this.version = version;
		this.ownJni = ownJni;
		this.classifier = classifier;
	}

	/** The kind of build. */
	public Kind kind() {
		return kind;
	}

	/** Where the choice came from ({@code default}, {@code UNET3P_TORCH}, {@code -Dunet3p.torch}, the preference file). */
	public String origin() {
		return origin;
	}

	/** The libtorch folder ({@code cuda} and folder builds); empty for the bundled CPU build. */
	public Optional<Path> folder() {
		return Optional.ofNullable(folder);
	}

	/** DJL's flavour: {@code cpu}, {@code cu128}, … */
	public String flavor() {
		return flavor;
	}

	/** Whether this build can use NVIDIA GPUs (a CUDA flavour). */
	public boolean isCuda() {
		return flavor.startsWith("cu");
	}

	/** The PyTorch version of the build ({@value #PYTORCH_VERSION} unless a folder says otherwise). */
	public String version() {
		return version;
	}

	/** One line for users: what is chosen, and from where. */
	public String describe() {
		final String what = switch (kind) {
			case CPU -> "cpu: the bundled PyTorch " + version + " CPU build";
			case CUDA -> "cuda: DJL's PyTorch " + version + " " + flavor + " build in " + folder;
			case FOLDER -> "folder " + folder + " (PyTorch " + version + ", flavour " + flavor + (ownJni ? ", its own JNI" : "") + ")";
		};
		return what + " [" + origin + "]";
	}

	/** The plugin's settings and cache folder: {@value #HOME_ENV}, else {@value #HOME_PROPERTY}, else {@code ~/.unet3p}. */
	public static Path home(final Environment env) {
		final String v = env.variable(HOME_ENV) != null ? env.variable(HOME_ENV) : env.property(HOME_PROPERTY);
		if (v != null) return Paths.get(v).toAbsolutePath();
		final String user = env.properties().getOrDefault("user.home", System.getProperty("user.home"));
		return Paths.get(user, ".unet3p");
	}

	/** DJL's cache root for this plugin ({@code ENGINE_CACHE_DIR} while the engine starts). */
	public static Path cacheRoot(final Path home) {
		return home.resolve("cache");
	}

	/** Where the CUDA build lives: DJL's layout {@code <cache>/pytorch/2.7.1-cu128-<classifier>}. */
	public static Path cudaFolder(final Path home, final String classifier) {
		return cacheRoot(home).resolve("pytorch").resolve(PYTORCH_VERSION + "-" + CUDA_FLAVOR + "-" + classifier);
	}

	/** DJL's name of an OS and architecture ({@code linux-x86_64}, {@code win-x86_64}, {@code osx-aarch64}, …). */
	public static String classifier(final String osName, final String osArch) {
		final String os = osName.toLowerCase(Locale.ROOT);
		final String prefix = os.startsWith("win") ? "win" : os.startsWith("mac") || os.startsWith("darwin") ? "osx" : "linux";
		final String a = osArch.toLowerCase(Locale.ROOT);
		final String arch = a.equals("amd64") || a.equals("x86_64") ? "x86_64" : a.equals("aarch64") || a.equals("arm64") ? "aarch64" : a;
		return prefix + "-" + arch;
	}

	/** The native library file name of {@code name} on {@code classifier}'s OS ({@code libtorch.so}, {@code torch.dll}, {@code libtorch.dylib}). */
	static String libraryFile(final String name, final String classifier) {
		if (classifier.startsWith("win")) return name + ".dll";
		if (classifier.startsWith("osx")) return "lib" + name + ".dylib";
		return "lib" + name + ".so";
	}

	/** Whether the shipped JNI jar has a JNI for {@code flavor} on {@code classifier}. */
	static boolean hasShippedJni(final String classifier, final String flavor) {
		return TorchBuild.class.getClassLoader().getResource("jnilib/" + classifier + "/" + flavor + "/" + libraryFile("djl_torch", classifier)) != null;
	}

	/** The build this JVM's environment chooses. */
	public static TorchBuild choose() {
		return choose(Environment.system());
	}

	/**
	 * The build {@code env} chooses.
	 *
	 * @throws InvalidInputException for a value that is no build, a folder without libtorch or with
	 *             one this plugin's JNI cannot drive, or a contradiction (see the class comment)
	 */
	public static TorchBuild choose(final Environment env) {
		final Path home = home(env);
		final Properties pref = readPreference(home);
		String value, origin;
		if (env.variable(ENV) != null) {
			value = env.variable(ENV);
			origin = ENV;
		}
		else if (env.property(PROPERTY) != null) {
			value = env.property(PROPERTY);
			origin = "-D" + PROPERTY;
		}
		else if (blankToNull(pref.getProperty("torch")) != null) {
			value = pref.getProperty("torch").trim();
			origin = "preference " + home.resolve(PREFERENCE_FILE);
		}
		else {
			value = "cpu";
			origin = "default";
		}
		final String given = env.variable(FLAVOR_ENV) != null ? env.variable(FLAVOR_ENV)
				: env.property(FLAVOR_PROPERTY) != null ? env.property(FLAVOR_PROPERTY) : blankToNull(pref.getProperty("flavor"));
		final String flavorGiven = given == null ? null : given.toLowerCase(Locale.ROOT);
		final String setting = origin.equals("default") ? ENV : origin.startsWith("preference") ? "the UNet3+ Engine preference" : origin.replace("-D", "");
		final TorchBuild build;
		switch (value.toLowerCase(Locale.ROOT)) {
			case "cpu":
				if (flavorGiven != null && !flavorGiven.equals("cpu"))
					throw new InvalidInputException(setting + "=cpu chooses the bundled CPU build, but the flavour is given as '" + flavorGiven
							+ "'. For a GPU use " + ENV + "=cuda (or a folder holding a CUDA libtorch).");
				build = new TorchBuild(Kind.CPU, origin, null, "cpu", PYTORCH_VERSION, false, env.classifier());
				break;
			case "cuda":
				if (flavorGiven != null && !flavorGiven.equals(CUDA_FLAVOR))
					throw new InvalidInputException(setting + "=cuda loads DJL's " + CUDA_FLAVOR + " build of PyTorch " + PYTORCH_VERSION + "; flavour '" + flavorGiven
							+ "' does not exist for it. For another CUDA version point " + ENV + " at a libtorch folder of that version.");
				if (!hasShippedJni(env.classifier(), CUDA_FLAVOR))
					throw new InvalidInputException(setting + "=cuda: DJL " + DJL_VERSION + " has a CUDA build of PyTorch " + PYTORCH_VERSION
							+ " for Linux and Windows on x86_64 only; this machine is " + env.classifier() + ". Use " + ENV + "=cpu.");
				build = new TorchBuild(Kind.CUDA, origin, cudaFolder(home, env.classifier()), CUDA_FLAVOR, PYTORCH_VERSION, false, env.classifier());
				break;
			default:
				build = folder(value, origin, setting, flavorGiven, env.classifier());
		}
		build.requireNoContradiction(env);
		return build;
	}

	private static TorchBuild folder(final String value, final String origin, final String setting, final String flavorGiven, final String classifier) {
		Path dir;
		try {
			dir = Paths.get(value).toAbsolutePath().normalize();
		}
		catch (final InvalidPathException e) {
			dir = null;
		}
		final String torchLib = libraryFile("torch", classifier);
		if (dir != null && Files.isRegularFile(dir) && dir.getFileName().toString().equals(torchLib)) dir = dir.getParent();
		if (dir == null || !Files.isDirectory(dir))
			throw new InvalidInputException(setting + "='" + value + "': expected cpu, cuda or the folder of a libtorch (e.g. the torch/lib folder of a pip torch); "
					+ (dir == null ? "it is not a path." : dir + " is no folder."));
		if (!Files.isRegularFile(dir.resolve(torchLib))) {
			final String hint = Files.isRegularFile(dir.resolve("lib").resolve(torchLib)) ? " Its lib folder does: use " + setting + "=" + dir.resolve("lib") + "."
					: Files.isRegularFile(dir.resolve("torch").resolve("lib").resolve(torchLib)) ? " Its torch/lib folder does: use " + setting + "=" + dir.resolve("torch").resolve("lib") + "."
							: " A libtorch download has it in libtorch/lib, a pip torch in site-packages/torch/lib.";
			throw new InvalidInputException(setting + ": the folder " + dir + " holds no libtorch (" + torchLib + ")." + hint);
		}
		final boolean cudaLibs = Files.isRegularFile(dir.resolve(libraryFile("torch_cuda", classifier)));
		final String[] detected = LibtorchFolder.detect(dir);
		final String version = detected[0];
		String flavor = flavorGiven != null ? flavorGiven : detected[1];
		if (flavor == null) {
			if (cudaLibs)
				throw new InvalidInputException(setting + ": " + dir + " holds a CUDA libtorch, but its CUDA version cannot be read from the folder; give it with "
						+ FLAVOR_ENV + "=cu128 (or the cuXYZ it was built for).");
			flavor = "cpu";
		}
		if (!flavor.matches("cpu|cu\\d{3}"))
			throw new InvalidInputException(setting + ": flavour '" + flavor + "' is not one of DJL's (cpu, cu118, cu121, cu124, cu128, …).");
		if (flavor.startsWith("cu") && !cudaLibs)
			throw new InvalidInputException(setting + ": flavour " + flavor + " asks for CUDA, but " + dir + " holds no " + libraryFile("torch_cuda", classifier)
					+ ": it is a CPU build of libtorch. Install a CUDA build (pip install torch==" + PYTORCH_VERSION + " --index-url …/whl/" + CUDA_FLAVOR
					+ ") or use " + ENV + "=cuda.");
		final boolean ownJni = Files.isRegularFile(dir.resolve(DJL_VERSION + "-" + libraryFile("djl_torch", classifier)))
				|| Files.isRegularFile(dir.resolve(libraryFile("djl_torch", classifier)));
		if (!ownJni) {
			if (version != null && !version.equals(PYTORCH_VERSION))
				throw new InvalidInputException(setting + ": " + dir + " holds PyTorch " + version + ", but the JNI shipped with this plugin (DJL " + DJL_VERSION
						+ ") is built for PyTorch " + PYTORCH_VERSION + ". Install torch " + PYTORCH_VERSION + ", use " + ENV + "=cuda, or put a DJL " + DJL_VERSION
						+ " JNI built for " + version + " into that folder (as " + DJL_VERSION + "-" + libraryFile("djl_torch", classifier) + ").");
			if (!hasShippedJni(classifier, flavor))
				throw new InvalidInputException(setting + ": the JNI shipped with this plugin (DJL " + DJL_VERSION + ") has no " + flavor + " build for " + classifier
						+ " (it has cpu" + (hasShippedJni(classifier, CUDA_FLAVOR) ? " and " + CUDA_FLAVOR : "") + "). Use a libtorch " + PYTORCH_VERSION
						+ " of a flavour it has, or build the JNI into that folder.");
		}
		return new TorchBuild(Kind.FOLDER, origin, dir, flavor, version != null ? version : PYTORCH_VERSION, ownJni, classifier);
	}

	/** DJL reads its own variables first; one that contradicts this choice would silently win. */
	private void requireNoContradiction(final Environment env) {
		final String path = env.variable("PYTORCH_LIBRARY_PATH");
		if (path != null && (folder == null || !Paths.get(path).toAbsolutePath().normalize().equals(folder)))
			throw new InvalidInputException("The environment variable PYTORCH_LIBRARY_PATH=" + path + " makes DJL load that folder, not the build UNet3+ chose ("
					+ describe() + "). Unset PYTORCH_LIBRARY_PATH and choose the build with " + ENV + " (cpu, cuda or a folder).");
		final String fl = env.variable("PYTORCH_FLAVOR");
		if (fl != null && !fl.equals(flavor) && !fl.equals(flavor + "-precxx11"))
			throw new InvalidInputException("The environment variable PYTORCH_FLAVOR=" + fl + " contradicts the build UNet3+ chose (" + describe() + "). Unset it, or use "
					+ FLAVOR_ENV + " for a folder's flavour.");
		final String ver = env.variable("PYTORCH_VERSION");
		if (ver != null && !ver.equals(version))
			throw new InvalidInputException("The environment variable PYTORCH_VERSION=" + ver + " contradicts the build UNet3+ chose (" + describe() + "). Unset it.");
	}

	/**
	 * Checks that the chosen files are there (the CUDA build must have been fetched).
	 *
	 * @throws InvalidInputException naming the folder and how to fill it
	 */
	public void requireInstalled() {
		if (kind == Kind.CUDA && !Files.isRegularFile(folder.resolve(libraryFile("torch", classifier))))
			throw new InvalidInputException("The CUDA build of PyTorch " + PYTORCH_VERSION + " is not in " + folder
					+ " yet. Fetch it once with Plugins › Segmentation › UNet3+ › UNet3+ Engine (fetch=true; needs network and an NVIDIA driver), or copy that folder from a machine that has it; "
					+ "or start with " + ENV + "=cpu.");
	}

	/**
	 * The system properties DJL must see while the engine starts, and only then: offline mode, the
	 * flavour, and for the CUDA and folder builds the library folder, the version, DJL's cache root
	 * (where DJL extracts the JNI) and cuDNN's autotuner (every run of this plugin uses one fixed
	 * input size, so the autotuner's choice is reused for every batch).
	 */
	public Map<String, String> djlProperties(final Path home) {
		final Map<String, String> p = new LinkedHashMap<>();
		p.put("ai.djl.offline", "true");
		p.put("PYTORCH_FLAVOR", flavor);
		if (kind != Kind.CPU) {
			p.put("PYTORCH_LIBRARY_PATH", folder.toString());
			p.put("PYTORCH_VERSION", version);
			p.put("ENGINE_CACHE_DIR", cacheRoot(home).toString());
		}
		if (isCuda()) p.put("ai.djl.pytorch.cudnn_benchmark", "true");
		return p;
	}

	/** The saved preference ({@code torch}, {@code flavor}), empty when there is none ({@link EnginePreference}). */
	public static Properties readPreference(final Path home) {
		return EnginePreference.read(home);
	}

	/**
	 * Saves {@code value} as the preference the next JVM starts with ({@link EnginePreference#save}).
	 *
	 * @return the build the preference chooses
	 * @throws InvalidInputException as {@link #choose(Environment)}; nothing is written then
	 */
	public static TorchBuild savePreference(final Environment env, final String value, final String flavor) throws IOException {
		return EnginePreference.save(env, value, flavor);
	}

	private static String blankToNull(final String s) {
		return s == null || s.isBlank() ? null : s.trim();
	}

	@Override
	public String toString() {
		return describe();
	}
}
