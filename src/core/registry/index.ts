/** Container registries (the Registry HTTP API v2): references, the client, manifests, tags as versions, image sources. */
export { DOCKER_HUB, DOCKER_HUB_API, formatReference, isLoopbackHost, manifestReference, parseImageReference, withTag, type ImageReference } from './reference';
export { LIMITS, RegistryClient, type CredentialLookup, type Credentials, type FetchedManifest, type RegistryClientOptions, type RequestOptions } from './client';
export { parseChallenges, type Challenge } from './challenge';
export { configLabels, parseManifest, pickPlatform, platformName, type Descriptor, type Manifest } from './manifest';
export { MANIFEST_ACCEPT } from './mediaTypes';
export { compareTags, describeFamily, familyTags, parseTag, releaseTags, tagFamily, type TagVersion } from './tags';
export { describeReference, labelledSource, listFamily, resolveImage, SOURCE_LABELS, tagForVersion, VERSION_LABEL, type Family, type LabelledSource, type ResolvedImage } from './resolve';
export { createImageSource, notesSourceOf, type ImageNotesSource, type ImageSourceOptions } from './imageSource';
