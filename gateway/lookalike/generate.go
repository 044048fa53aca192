package lookalike

// skeleton_table.go comes from Unicode's confusables.txt (UTS #39), kept
// beside its generator.
//go:generate go run ../../internal/cmd/skeletongen -data ../../internal/cmd/skeletongen/confusables.txt -out skeleton_table.go
