package io.github.unet3p.fiji.updatesite;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The jars Fiji ships, as {@code org.scijava:pom-scijava} manages them (Fiji's parent POM), by
 * updater key: {@code jars/<artifactId>.jar}. A site that ships a file under one of these keys
 * overrides Fiji's own file (sites ranked after Fiji win), and the updater then keeps or reinstalls
 * that copy when Fiji moves to a newer version; so the site ships none of them
 * ({@link #checkNotShipped}).
 */
public final class FijiJars {

	/**
	 * Jars the site may ship although Fiji ships the same key, each with its reason. NB: empty: the
	 * site ships nothing of Fiji's (protobuf is relocated into the plugin jar, see pom.xml).
	 */
	public static final Map<String, String> SHARED_ON_PURPOSE = Map.of();

	private FijiJars() {}

	/**
	 * The artifacts {@code pomScijava}'s {@code dependencyManagement} lists, by updater key
	 * ({@code jars/<artifactId>.jar}), each as {@code groupId:artifactId:version} with the version's
	 * properties resolved.
	 *
	 * @throws IOException if the POM cannot be read or lists no managed dependency
	 */
	public static Map<String, String> managed(final Path pomScijava) throws IOException {
		final Element project;
		try {
			final javax.xml.parsers.DocumentBuilder builder = DocumentBuilderFactory.newInstance().newDocumentBuilder();
			// NB: the default handler prints "[Fatal Error] ..." to stderr besides throwing.
			builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler());
			project = builder.parse(pomScijava.toFile()).getDocumentElement();
		}
		catch (final Exception e) {
			throw new IOException(pomScijava + " cannot be read as a POM: " + e.getMessage(), e);
		}
		final Properties properties = new Properties();
		final Element props = child(project, "properties");
		if (props != null) for (Node n = props.getFirstChild(); n != null; n = n.getNextSibling())
			if (n.getNodeType() == Node.ELEMENT_NODE) properties.setProperty(n.getNodeName(), n.getTextContent().trim());
		final Map<String, String> out = new TreeMap<>();
		final Element dependencies = child(child(project, "dependencyManagement"), "dependencies");
		if (dependencies != null) for (Node n = dependencies.getFirstChild(); n != null; n = n.getNextSibling()) {
			if (n.getNodeType() != Node.ELEMENT_NODE || !n.getNodeName().equals("dependency")) continue;
			final String group = text((Element) n, "groupId"), artifact = text((Element) n, "artifactId");
			final String version = resolve(text((Element) n, "version"), properties);
			if (group != null && artifact != null) out.putIfAbsent("jars/" + artifact + ".jar", group + ":" + artifact + ":" + version);
		}
		if (out.isEmpty()) throw new IOException(pomScijava + " manages no dependency; is it org.scijava:pom-scijava?");
		return Collections.unmodifiableMap(out);
	}

	/**
	 * Checks that the site ships no jar under an updater key Fiji ships ({@link #managed}), other
	 * than those of {@link #SHARED_ON_PURPOSE}.
	 *
	 * @param paths the site's file paths ({@code jars/protobuf-java-4.32.0.jar}, …)
	 * @throws IOException naming every such jar and Fiji's artifact
	 */
	public static void checkNotShipped(final List<String> paths, final Map<String, String> managed) throws IOException {
		final StringBuilder clashes = new StringBuilder();
		for (final String path : paths) {
			final String key = SiteHistory.key(path);
			if (managed.containsKey(key) && !SHARED_ON_PURPOSE.containsKey(key))
				clashes.append(clashes.length() == 0 ? "" : "; ").append(path).append(" is Fiji's ").append(managed.get(key)).append(" (updater key ").append(key).append(')');
		}
		if (clashes.length() > 0) throw new IOException(clashes + ": the site would override Fiji's file; leave it to Fiji or relocate it into a jar of the plugin");
	}

	/** Resolves {@code ${name}} references through {@code properties}, up to a depth of 10. */
	static String resolve(final String value, final Properties properties) {
		String v = value;
		for (int i = 0; i < 10 && v != null && v.startsWith("${") && v.endsWith("}"); i++)
			v = properties.getProperty(v.substring(2, v.length() - 1), v);
		return v;
	}

	private static Element child(final Element parent, final String name) {
		if (parent == null) return null;
		for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling())
			if (n.getNodeType() == Node.ELEMENT_NODE && n.getNodeName().equals(name)) return (Element) n;
		return null;
	}

	private static String text(final Element parent, final String name) {
		final Element e = child(parent, name);
		return e == null ? null : e.getTextContent().trim();
	}
}
