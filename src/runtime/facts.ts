// The runtime-facts contract between the daemon side of `audit` (which reads
// GET /containers/{id}/json, /info, /version and the endpoint in use) and the
// runtime rules (pure functions over these facts). The field names are the
// Engine API's own, so that a finding's location (`HostConfig.Privileged`)
// names exactly what `docker inspect` shows. Only what a rule reads is here.

/** One entry of `HostConfig.PortBindings` or `NetworkSettings.Ports`. */
export interface PortBinding {
  /** `""` means the daemon's default bind address (0.0.0.0 and :: unless dockerd `--ip` says otherwise). */
  HostIp?: string;
  /** `""` means a port the daemon picks. */
  HostPort?: string;
}

/** `"22/tcp"` → bindings; `null` for a port the image exposes but that is not published. */
export type PortMap = Record<string, PortBinding[] | null>;

/** One entry of the top-level `Mounts` of container inspect: binds, volumes, tmpfs… as they were set up. */
export interface ContainerMount {
  Type: string;
  /** Host path of a bind (or the volume's directory on the host). */
  Source: string;
  Destination: string;
  RW: boolean;
  /** The volume name, for volumes. */
  Name?: string;
}

/** What the runtime rules read from GET /containers/{id}/json. */
export interface ContainerFacts {
  Id: string;
  /** As inspect gives it, with the leading slash: `/web`. */
  Name: string;
  /** `linux` or `windows` (inspect `Platform`); default linux. */
  Platform?: string;
  Config: {
    /** `--user`; the daemon fills it from the image when not given, so `""` usually means the image sets none. */
    User?: string;
    /** The image as the container was created with it (`nginx:1.27`). */
    Image: string;
    /** The ports the image exposes: what `-P` publishes. */
    ExposedPorts?: Record<string, object> | null;
  };
  HostConfig: {
    Privileged?: boolean;
    /** `default`, `bridge`, `host`, `none`, `container:<id>` or a network name. */
    NetworkMode?: string;
    PidMode?: string;
    IpcMode?: string;
    UTSMode?: string;
    CapAdd?: string[] | null;
    CapDrop?: string[] | null;
    /** `seccomp=unconfined`, `apparmor=unconfined`, `no-new-privileges`, `label=disable`… */
    SecurityOpt?: string[] | null;
    /** Bytes; 0 = no limit. */
    Memory?: number;
    /** null, 0 or -1 = no limit. */
    PidsLimit?: number | null;
    ReadonlyRootfs?: boolean;
    /** What `-p` asked for; applies at every start. */
    PortBindings?: PortMap | null;
    /** `-P`: every exposed port on a port the daemon picks. */
    PublishAllPorts?: boolean;
    /** `-v host:container[:opts]` as given. */
    Binds?: string[] | null;
  };
  /** The mounts as set up (binds, `--mount`, volumes); the rules judge these. */
  Mounts: ContainerMount[];
  NetworkSettings: {
    /** What is published now (running containers on a bridge or user network); empty otherwise. */
    Ports?: PortMap | null;
  };
  State: {
    Running: boolean;
    /** `created`, `running`, `paused`, `restarting`, `removing`, `exited`, `dead`. */
    Status?: string;
  };
  /** The image's own `Config.User`, when known: read when the container's is empty. */
  imageUser?: string;
}

export type EndpointScheme = 'unix' | 'tcp' | 'ssh' | 'npipe';

/** The endpoint the audit talked to. */
export interface EndpointFacts {
  /** `unix:///var/run/docker.sock`, `tcp://10.0.0.5:2376`, `ssh://me@box`. */
  url: string;
  scheme: EndpointScheme;
  /** True when the connection uses TLS (tcp only). */
  tls: boolean;
  /** The host name or address for tcp and ssh; `""` for unix sockets and named pipes. */
  host: string;
  /** True for unix sockets, named pipes, and tcp/ssh to localhost, 127.0.0.0/8 or ::1. */
  isLoopback: boolean;
}

/** `RegistryConfig.IndexConfigs` entry of /info. */
export interface IndexConfig {
  Name: string;
  Secure: boolean;
  Official?: boolean;
  Mirrors?: string[] | null;
}

/** What the daemon rules read from GET /info, GET /version, the endpoint and the socket. */
export interface DaemonFacts {
  info: {
    /** `name=seccomp,profile=default`, `name=apparmor`, `name=userns`, `name=rootless`, `name=cgroupns`… */
    SecurityOptions?: string[] | null;
    LiveRestoreEnabled?: boolean;
    Debug?: boolean;
    RegistryConfig?: {
      InsecureRegistryCIDRs?: string[] | null;
      IndexConfigs?: Record<string, IndexConfig> | null;
    } | null;
    ServerVersion?: string;
    /** `Debian GNU/Linux 12 (bookworm)`, `Docker Desktop`, `Ubuntu 24.04 LTS`… */
    OperatingSystem?: string;
    /** `linux` or `windows`. */
    OSType?: string;
    Name?: string;
    Swarm?: { LocalNodeState?: string } | null;
  };
  version: {
    Version?: string;
    ApiVersion?: string;
    Os?: string;
    /** `Engine`, `containerd`, `runc`… (`Podman Engine` on Podman's compatible API). */
    Components?: Array<{ Name: string; Version?: string }> | null;
  };
  endpoint: EndpointFacts;
  /** The socket file, when the endpoint is a local unix socket that could be stat'ed. */
  socket?: {
    path: string;
    /** st_mode, or just its permission bits. */
    mode: number;
  };
  /**
   * Whether tcp://127.0.0.1:2375 answered GET /_ping without TLS or credentials
   * (Docker Desktop's "Expose daemon on tcp://localhost:2375 without TLS").
   * Undefined when not probed: only loopback is ever probed.
   */
  unauthenticatedPing2375?: boolean;
  /** The user's home directory on the daemon's host, when known (a local daemon): for the sensitive-mount rule. */
  homeDir?: string;
  /**
   * True when the caller knows this daemon is a development one (a laptop), false
   * when it knows it is not; undefined lets the rules judge from the daemon
   * (Docker Desktop and similar desktop VMs count as development).
   */
  development?: boolean;
  /** The date end-of-life is judged against. */
  now: Date;
}

/** What the container rules need to know about the host the containers run on. */
export interface HostContext {
  /** The user's home directory on the daemon's host. */
  homeDir?: string;
  /** The daemon's own API socket on its host, when the endpoint is one. */
  daemonSocket?: string;
}

/** The host context container rules get from the daemon facts (none when only containers were read). */
export function hostContext(daemon: DaemonFacts | undefined): HostContext {
  const context: HostContext = {};
  if (daemon?.homeDir) context.homeDir = daemon.homeDir;
  if (daemon?.endpoint.scheme === 'unix' && daemon.endpoint.isLoopback) {
    const path = daemon.socket?.path ?? daemon.endpoint.url.replace(/^unix:\/\//, '');
    if (path) context.daemonSocket = path;
  }
  return context;
}
