export interface GpuDescriptor {
  index: number;
  uuid: string;
  name: string;
  memoryMib: number;
  isVirtual: boolean;
}

/** Where the list of physical (or virtual) GPUs comes from. */
export interface GpuInventory {
  list(): Promise<GpuDescriptor[]>;
}
