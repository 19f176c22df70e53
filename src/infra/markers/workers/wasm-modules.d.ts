// Minimal types for the untyped Emscripten builds the workers load: only what we call.
// Ambient module declarations only (no globals), also harmless in the root program.

declare module '@webarkit/nft-marker-creator-app/build/NftMarkerCreator_ES6_wasm.js' {
  interface EmscriptenModuleOptions {
    print?: (text: string) => void;
    printErr?: (text: string) => void;
  }
  interface EmscriptenFS {
    readFile(path: string): Uint8Array;
    writeFile(path: string, data: Uint8Array): void;
  }
  interface NftMarkerCreatorModule {
    FS: EmscriptenFS;
    /** Writes tempFilename.iset/.fset/.fset3 into FS; returns the C exit code (0 = ok). */
    createNftDataSet(
      grey: Uint8Array,
      dpi: number,
      width: number,
      height: number,
      channels: number,
      flags: string,
    ): number;
  }
  const NftMC: (options?: EmscriptenModuleOptions) => Promise<NftMarkerCreatorModule>;
  export default NftMC;
}

declare module '@webarkit/jsartoolkit-nft/build/artoolkitNFT_ES6_wasm.js' {
  interface EmscriptenModuleOptions {
    print?: (text: string) => void;
    printErr?: (text: string) => void;
  }
  interface EmscriptenFS {
    readFile(path: string): Uint8Array;
    writeFile(path: string, data: Uint8Array): void;
  }
  interface EmbindObject {
    delete(): void;
  }
  interface StringList extends EmbindObject {
    push_back(value: string): void;
  }
  interface IntList extends EmbindObject {
    size(): number;
    get(index: number): number;
  }
  interface NftMarkerInfo {
    id: number;
    error: number;
    /** 1 when found. */
    found: number;
    /** 3×4 row-major pose, mm. */
    pose: ArrayLike<number>;
  }
  interface ARToolKitNFT extends EmbindObject {
    _loadCamera(path: string): number;
    setup(width: number, height: number, cameraId: number): number;
    setupAR2(): number;
    _addNFTMarkers(prefixes: StringList): IntList;
    passVideoData(rgba: Uint8ClampedArray, luma: Uint8Array, internalLuma: boolean): number;
    detectNFTMarker(): number;
    getNFTMarker(index: number): NftMarkerInfo;
  }
  interface ARToolkitNFTModule {
    FS: EmscriptenFS;
    StringList: new () => StringList;
    /** `withFiltering`: low-pass filter the pose across frames. */
    ARToolKitNFT: new (withFiltering: boolean) => ARToolKitNFT;
  }
  const createARToolkitNFT: (options?: EmscriptenModuleOptions) => Promise<ARToolkitNFTModule>;
  export default createARToolkitNFT;
}
