package io.github.unet3p.spark;

import java.net.URI;

import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local disk under another scheme, {@code otherfs:}: to Spark's door a file system that is not
 * the local one, so the tests run the path a cluster takes (model and inputs copied to the task,
 * outputs published through Hadoop's API) without a cluster.
 */
public class OtherSchemeFileSystem extends RawLocalFileSystem {

	/** The scheme. */
	static final String SCHEME = "otherfs";

	@Override
	public URI getUri() {
		return URI.create(SCHEME + ":///");
	}

	@Override
	public String getScheme() {
		return SCHEME;
	}
}
