"""Word lists for the synthetic libraries (``bench/generate.py``).

Hand-written to read like machine-learning paper listings: research topics with
their own terms, sentence templates for abstracts, title templates, datasets,
people's names. Nothing here is random; the generator draws from it with a
seeded ``random.Random``.
"""

from __future__ import annotations

# -- topics --------------------------------------------------------------------
# Each topic: the listing category (two capital letters), the phrases its papers
# are about (``terms``), what they do to them (``tasks``) and where they are
# evaluated (``datasets``).

TOPICS: list[dict[str, list[str] | str]] = [
    {
        "category": "LG",
        "terms": ["neural collapse", "class means", "simplex equiangular tight frames",
                  "within-class variability", "the terminal phase of training",
                  "the unconstrained features model", "last-layer features", "minority collapse",
                  "classifier weights", "class imbalance", "feature geometry"],
        "tasks": ["image classification", "long-tailed recognition", "transfer learning",
                  "node classification"],
        "datasets": ["CIFAR-10", "CIFAR-100", "MNIST", "Fashion-MNIST", "ImageNet"],
    },
    {
        "category": "LG",
        "terms": ["gradient descent", "the edge of stability", "learning rates", "sharpness",
                  "Hessian eigenvalues", "implicit regularization", "stochastic gradient descent",
                  "loss landscapes", "learning-rate warmup", "adaptive optimizers",
                  "linear neural networks", "training dynamics"],
        "tasks": ["optimization", "deep network training", "hyperparameter transfer",
                  "large-batch training"],
        "datasets": ["CIFAR-10", "ImageNet", "WikiText-103", "a synthetic teacher-student task"],
    },
    {
        "category": "LG",
        "terms": ["graph neural networks", "message passing", "over-smoothing", "heterophily",
                  "graph transformers", "stochastic block models", "spectral filters",
                  "graph rewiring", "node embeddings", "community detection"],
        "tasks": ["node classification", "link prediction", "graph classification",
                  "molecular property prediction"],
        "datasets": ["Cora", "Citeseer", "PubMed", "OGB-Arxiv", "OGB-Products", "ZINC"],
    },
    {
        "category": "CL",
        "terms": ["large language models", "Triton kernels", "kernel fusion", "memory footprint",
                  "training throughput", "mixed-precision training", "activation checkpointing",
                  "quantization", "the KV cache", "speculative decoding", "long-context inference"],
        "tasks": ["efficient training", "LLM inference", "model serving", "fine-tuning"],
        "datasets": ["C4", "The Pile", "SlimPajama", "LongBench", "ShareGPT"],
    },
    {
        "category": "CL",
        "terms": ["in-context learning", "transformers", "attention heads", "induction heads",
                  "few-shot prompting", "chain-of-thought reasoning", "pretraining data",
                  "mechanistic interpretability", "sparse autoencoders", "linear probes"],
        "tasks": ["reasoning", "question answering", "arithmetic", "interpretability"],
        "datasets": ["GSM8K", "MMLU", "BIG-Bench", "TriviaQA", "HellaSwag"],
    },
    {
        "category": "CV",
        "terms": ["diffusion models", "score matching", "denoising", "sampling steps",
                  "classifier-free guidance", "latent diffusion", "flow matching",
                  "noise schedules", "consistency models", "image synthesis"],
        "tasks": ["image generation", "text-to-image synthesis", "video generation",
                  "image editing"],
        "datasets": ["ImageNet 256x256", "LSUN Bedroom", "CelebA-HQ", "MS-COCO", "FFHQ"],
    },
    {
        "category": "CV",
        "terms": ["vision transformers", "patch embeddings", "self-supervised pretraining",
                  "masked autoencoders", "contrastive learning", "visual representations",
                  "data augmentation", "knowledge distillation", "token pruning"],
        "tasks": ["object detection", "semantic segmentation", "image classification",
                  "visual question answering"],
        "datasets": ["ImageNet", "MS-COCO", "ADE20K", "Pascal VOC", "iNaturalist"],
    },
    {
        "category": "LG",
        "terms": ["reinforcement learning", "policy gradients", "value functions", "exploration",
                  "offline reinforcement learning", "reward models", "actor-critic methods",
                  "sample efficiency", "Markov decision processes", "world models"],
        "tasks": ["continuous control", "game playing", "preference learning",
                  "decision making"],
        "datasets": ["MuJoCo", "Atari 100k", "D4RL", "Procgen", "Meta-World"],
    },
    {
        "category": "RO",
        "terms": ["robot manipulation", "imitation learning", "sim-to-real transfer", "grasping",
                  "visuomotor policies", "trajectory optimization", "legged locomotion",
                  "tactile sensing", "motion planning"],
        "tasks": ["dexterous manipulation", "navigation", "assembly", "pick-and-place"],
        "datasets": ["RLBench", "Open X-Embodiment", "CALVIN", "a real Franka arm"],
    },
    {
        "category": "CR",
        "terms": ["differential privacy", "federated learning", "membership inference",
                  "secure aggregation", "privacy budgets", "data poisoning",
                  "adversarial examples", "backdoor attacks", "certified robustness"],
        "tasks": ["private training", "attack detection", "robust classification",
                  "model auditing"],
        "datasets": ["CIFAR-10", "FEMNIST", "Shakespeare", "Purchase-100"],
    },
    {
        "category": "ML",
        "terms": ["generalization bounds", "overparameterization", "the kernel regime",
                  "neural tangent kernels", "double descent", "benign overfitting",
                  "sample complexity", "Rademacher complexity", "random features",
                  "feature learning"],
        "tasks": ["regression", "statistical learning", "high-dimensional inference",
                  "kernel methods"],
        "datasets": ["synthetic Gaussian data", "MNIST", "CIFAR-10"],
    },
    {
        "category": "IR",
        "terms": ["dense retrieval", "re-ranking", "query expansion",
                  "retrieval-augmented generation", "embedding models", "recommendation systems",
                  "click models", "learned sparse retrieval", "hard negatives"],
        "tasks": ["passage retrieval", "open-domain question answering", "recommendation",
                  "search ranking"],
        "datasets": ["MS MARCO", "BEIR", "Natural Questions", "MovieLens", "TREC DL"],
    },
    {
        "category": "SD",
        "terms": ["speech recognition", "speaker verification", "self-supervised speech models",
                  "text-to-speech", "neural audio codecs", "voice conversion",
                  "speech enhancement"],
        "tasks": ["automatic speech recognition", "speech synthesis", "audio captioning",
                  "spoken language understanding"],
        "datasets": ["LibriSpeech", "Common Voice", "VoxCeleb", "AudioCaps"],
    },
    {
        "category": "ML",
        "terms": ["causal inference", "treatment effects", "instrumental variables",
                  "counterfactual reasoning", "structural causal models", "confounding",
                  "causal discovery", "propensity scores"],
        "tasks": ["policy evaluation", "causal effect estimation", "fair prediction",
                  "A/B testing"],
        "datasets": ["IHDP", "Jobs", "Twins", "semi-synthetic benchmarks"],
    },
    {
        "category": "LG",
        "terms": ["catastrophic forgetting", "continual learning", "replay buffers",
                  "loss of plasticity", "lifelong learning", "task-incremental learning",
                  "parameter isolation"],
        "tasks": ["class-incremental learning", "online learning", "domain adaptation"],
        "datasets": ["Split CIFAR-100", "Permuted MNIST", "CORe50", "TinyImageNet"],
    },
    {
        "category": "NE",
        "terms": ["spiking neural networks", "neuromorphic hardware", "evolutionary algorithms",
                  "biologically plausible learning", "Hebbian plasticity", "neural dynamics",
                  "predictive coding"],
        "tasks": ["energy-efficient inference", "black-box optimization", "neural modelling"],
        "datasets": ["DVS Gesture", "N-MNIST", "SHD", "BBOB"],
    },
    {
        "category": "CL",
        "terms": ["machine translation", "low-resource languages", "multilingual models",
                  "tokenization", "cross-lingual transfer", "code-switching",
                  "subword vocabularies"],
        "tasks": ["translation", "named entity recognition", "text classification"],
        "datasets": ["FLORES-200", "WMT", "XNLI", "MasakhaNER"],
    },
    {
        "category": "AI",
        "terms": ["language agents", "tool use", "multi-agent systems", "theorem proving",
                  "program synthesis", "code generation", "planning", "self-reflection"],
        "tasks": ["software engineering", "web navigation", "formal verification",
                  "task planning"],
        "datasets": ["HumanEval", "SWE-bench", "MiniF2F", "WebArena", "ALFWorld"],
    },
    {
        "category": "LG",
        "terms": ["physics-informed neural networks", "neural operators",
                  "partial differential equations", "climate models", "molecular dynamics",
                  "protein structure", "equivariant networks"],
        "tasks": ["scientific simulation", "weather forecasting", "drug discovery",
                  "materials design"],
        "datasets": ["ERA5", "PDEBench", "QM9", "MD17", "the Protein Data Bank"],
    },
    {
        "category": "CY",
        "terms": ["algorithmic fairness", "demographic parity", "calibration",
                  "distribution shift", "out-of-distribution detection", "spurious correlations",
                  "group robustness"],
        "tasks": ["risk assessment", "medical imaging", "content moderation",
                  "loan approval"],
        "datasets": ["Waterbirds", "CelebA", "CivilComments", "MIMIC-IV", "WILDS"],
    },
]

# A separate field, for abstracts that belong to no paper in the library (the
# "unrelated abstracts" an abstract dump may hold).
UNRELATED_TERMS = [
    "soil microbiomes", "nitrogen fixation", "coral reef bleaching", "glacier mass balance",
    "enzyme kinetics", "mitochondrial respiration", "zebrafish embryos", "groundwater recharge",
    "pollinator decline", "protein folding chaperones", "wetland sediments", "tidal marshes",
    "photosynthetic efficiency", "phytoplankton blooms", "invasive grasses", "root exudates",
]
UNRELATED_PLACES = ["the Baltic Sea", "the Andes", "boreal forests", "the Sahel",
                    "alpine lakes", "the Great Barrier Reef", "peatlands in Finland"]

# -- abstracts -----------------------------------------------------------------

ADJECTIVES = ["simple", "scalable", "principled", "efficient", "unified", "robust", "provable",
              "lightweight", "general", "practical", "adaptive", "modular", "data-efficient",
              "training-free", "theoretically grounded", "compute-optimal"]
APPROACHES = ["framework", "method", "algorithm", "architecture", "objective", "estimator",
              "training recipe", "regularizer", "benchmark", "analysis"]
PROPERTIES = ["Geometry", "Dynamics", "Limits", "Role", "Stability", "Expressivity",
              "Robustness", "Emergence", "Sample Complexity", "Implicit Bias", "Calibration"]
METRICS = ["accuracy", "perplexity", "throughput", "memory usage", "wall-clock time", "F1 score",
           "FID", "AUROC", "success rate", "test loss", "recall@10", "BLEU"]
BASELINES = ["strong baselines", "prior state-of-the-art methods", "standard fine-tuning",
             "the best published results", "carefully tuned baselines", "existing approaches"]
MODELS = ["ResNet-18", "ResNet-50", "ViT-B/16", "GPT-2", "LLaMA-2 7B", "BERT-base", "T5-large",
          "a two-layer MLP", "a 1.3B-parameter transformer", "Mistral 7B", "U-Net", "GraphSAGE"]

# Sentences by role. Slots: {term} {term2} {task} {method} {dataset} {dataset2}
# {metric} {num} {num2} {baseline} {model} {adj} {approach} {user} {repo}
CONTEXT = [
    "{Term} have become a central tool for {task}, yet their behaviour is still poorly understood.",
    "Recent work has shown that {term} play a key role in {task}.",
    "Despite rapid progress in {task}, the interplay between {term} and {term2} is not well understood.",
    "{Term} are widely used in {task}, but they remain expensive to train and hard to analyse.",
    "Understanding {term} is a long-standing open problem in {task}.",
    "Empirical studies have repeatedly observed {term} when models are trained on {dataset}.",
    "A growing body of work studies {term} through the lens of {term2}.",
]
GAP = [
    "However, existing analyses rely on strong assumptions that rarely hold in practice.",
    "However, most prior methods scale poorly with the size of the model and the data.",
    "Yet it remains unclear whether these observations extend beyond small benchmarks.",
    "Unfortunately, current approaches ignore the structure of {term2} entirely.",
    "This characterization, however, only holds in idealized settings with balanced data.",
    "Existing benchmarks do not capture the failure modes that matter for {task}.",
]
CONTRIBUTION = [
    "In this paper, we propose {method}, a {adj} {approach} for {task} that exploits {term2}.",
    "In this work, we introduce {method}, a {adj} {approach} that connects {term} and {term2}.",
    "We present {method}, which combines {term} with {term2} in a single {approach}.",
    "To address this, we develop {method}, a {adj} {approach} built on {term}.",
    "We study {term} in {task} and propose {method} to make it {adj}.",
]
DETAIL = [
    "The key idea is to decompose {term} into components that can be estimated independently.",
    "Our approach uses {term2} to reweight the training signal without extra supervision.",
    "{method} requires no additional hyperparameters and adds negligible overhead at inference time.",
    "We derive closed-form expressions for {term} after one and two steps of training.",
    "Our analysis reveals a distinct regime in which {term} is governed by {term2}.",
    "We further show that {method} is equivalent to a preconditioned form of {term2}.",
    "The method relies on a lightweight estimator of {term2} that is updated online.",
    "We characterize how {term} should scale with width, depth and the amount of data.",
    "Theoretically, we prove that {method} converges at a rate that matches known lower bounds.",
    "We also provide a simple diagnostic that predicts when {term} will occur.",
]
RESULTS = [
    "Experiments on {dataset} and {dataset2} show that {method} improves {metric} by {num}% over {baseline}.",
    "On {dataset}, {method} reduces {metric} by {num}% while matching the accuracy of {baseline}.",
    "With {model}, our method achieves a {num}% gain in {metric} and a {num2}% reduction in memory.",
    "Across {num2} tasks from {dataset}, {method} consistently outperforms {baseline}.",
    "Our numerical experiments validate the theory and highlight the importance of {term2}.",
    "Ablations on {dataset2} confirm that each component of {method} contributes to the gains.",
    "Scaling experiments up to {model} show that the benefits grow with model size.",
]
CLOSING = [
    "These results suggest that {term} should be taken into account when designing {task} systems.",
    "Our findings open new directions for the study of {term} and {term2}.",
    "We hope that {method} will serve as a strong baseline for future work on {task}.",
    "Code is available at https://github.com/{user}/{repo}.",
    "Our code and pretrained models are publicly available at https://github.com/{user}/{repo}.",
    "Taken together, our results provide a principled explanation of {term} in practice.",
]

# Rewording an abstract (an older version of it, as an abstract dump gives it).
SYNONYMS = {
    "propose": "put forward", "introduce": "present", "present": "describe",
    "develop": "design", "show": "demonstrate", "shows": "demonstrates",
    "improves": "boosts", "reduces": "cuts", "consistently": "reliably",
    "outperforms": "beats", "novel": "new", "key": "main", "simple": "straightforward",
    "widely": "commonly", "central": "core", "However": "Nevertheless",
    "Recent": "Previous", "experiments": "evaluations", "Experiments": "Evaluations",
    "findings": "results", "results": "findings", "analysis": "study",
    "further": "additionally", "approach": "technique", "method": "technique",
    "framework": "scheme", "reveals": "uncovers", "prove": "establish",
    "negligible": "minimal", "highlight": "underline", "In this paper": "Here",
    "In this work": "In this paper", "validate": "support", "lightweight": "cheap",
}

# Jargon: each abstract also uses a few words from a large lexicon of made-up
# technical terms (``generate._lexicon``: syllables joined, Zipf-distributed), as
# real abstracts carry named effects, datasets and coinages. Without it the
# vocabulary of 100,000 abstracts would be a few tens of thousands of words;
# real ones have well over a hundred thousand.
SYLLABLES = """ka ri mo ve lan tor quo sel phi nex dra gol mur sin tav ber col dem fen
hal jor kel lum mir nor pal rin sor tel val wex yor zan bel cor dun fal gir hom
lin mar nol pen qua ros sul tin ul vor xan yel zor ath orn ic ent al ide ite""".split()
JARGON = [
    "We call the resulting phenomenon {rare1} {rare2}.",
    "Our analysis builds on the {rare1} decomposition and the {rare2} inequality.",
    "A key ingredient is a {rare1} estimator that remains stable under {rare2} noise.",
    "We evaluate on the {rare1} and {rare2} suites in addition to standard benchmarks.",
    "This extends the {rare1} condition of prior work to the {rare2} setting.",
    "In the {rare1} regime, {term} behaves like a {rare2} process.",
    "The {rare1} variant further reduces the {rare2} gap at no extra cost.",
]

# -- titles ----------------------------------------------------------------------
TITLES = [
    "{Method}: {Adj} {Term} for {Task}",
    "{Method}: Scaling {Term} to {Task}",
    "Towards {Adj} {Term} via {Term2}",
    "On the {Property} of {Term} in {Term2}",
    "A {Adj} Perspective on {Term} in {Term2}",
    "{Term} Meets {Term2}: {Adj} {Approach} for {Task}",
    "Understanding {Term} through the Lens of {Term2}",
    "Revisiting {Term} for {Task}",
    "When Does {Term} Help {Task}?",
    "Provable {Term} with {Term2}",
    "{Adj} {Term} without {Term2}",
    "Learning {Term} from {Term2}",
    "Exact Dynamics of {Term} in {Term2}",
    "{Method}: {Term} Is All You Need for {Task}",
    "Beyond {Term}: {Adj} {Task} with {Term2}",
    "The {Property} of {Term}: Evidence from {Task}",
    "Rethinking {Term} in {Task}",
    "{Term} at Scale: {Adj} {Approach} and Open Problems",
]
SMALL_WORDS = {"a", "an", "the", "of", "for", "in", "on", "with", "via", "to", "and", "from",
               "at", "through", "without", "is", "all", "you", "need"}

# Method names: a syllable stem or two and an optional suffix ("FluxHop", "Zevanet-KD").
STEMS = ["Flux", "Hop", "Liger", "Zeva", "Quill", "Mira", "Orca", "Tessa", "Vela", "Kite",
         "Nimbus", "Lyra", "Pico", "Sparrow", "Delta", "Echo", "Ember", "Fable", "Glide",
         "Halo", "Iris", "Juno", "Koda", "Lumen", "Mosaic", "Nova", "Onyx", "Prism", "Quartz",
         "Rhea", "Sable", "Tango", "Umbra", "Vireo", "Wren", "Xeno", "Yarrow", "Zephyr",
         "Atlas", "Bolt", "Cinder", "Drift", "Fern", "Gale", "Helix", "Ivy", "Jolt", "Kestrel"]
SUFFIXES = ["", "", "", "Net", "Former", "-KD", "-Lite", "++", "GPT", "Diff", "-RL", "Flow",
            "-X", "Attn", "-Zero", "Bench"]

GITHUB_USERS = ["mlgroup", "optlab", "graphml", "nlp-lab", "vision-ai", "rl-research",
                "theory-ml", "privacy-lab", "sciml", "agents-lab"]

# -- people --------------------------------------------------------------------------
GIVEN = """Aarav Abhishek Aditi Adrian Ahmed Aisha Akira Alejandro Alexei Alice Amir Amina
Ana Anders Andrea Andrew Anika Anjali Anna Antoine Arjun Arun Ayumi Beatriz Benjamin Bo
Camila Carlos Carmen Chang Chao Chen Chiara Chloe Christos Claire Daniel Daria David Deepak
Diego Dmitri Elena Elif Emeka Emily Emma Eric Eun Fatima Felipe Feng Florian Francesca Gabriel
Ganesh Gao Giorgos Grace Guillaume Hana Hannah Hao Haruto Hassan Helena Hiroshi Hui Ibrahim
Ines Ioana Isabel Ivan Jakob James Jan Javier Jia Jiahui Jian Jiawei Jie Jin Joan Jonas Jorge
Jose Julia Julien Jun Junaid Kai Kaito Karim Karthik Katarina Kavya Kenji Kevin Kim Kirill
Kofi Lakshmi Lars Laura Lei Leila Lena Leon Li Liang Lin Ling Lorenzo Lucas Lucia Luis Maria
Mariam Marco Marek Mario Marta Martin Mateo Mehdi Mei Mihai Min Ming Mohamed Naveen Nadia
Naoki Nikhil Nikolai Nina Noah Nora Olga Omar Oscar Pablo Paolo Pedro Peng Pierre Pooja Priya
Qiang Qing Rafael Rahul Rajesh Ravi Rebecca Ren Ricardo Rohan Rui Ryo Saanvi Sakura Samuel
Sandeep Sara Sebastian Sergei Shantanu Shenyang Shreya Simone Sofia Soo Sora Stefan Sunil
Takeshi Tao Tianyu Tom Tomas Valentina Vala Vanessa Vignesh Viktor Wei Wen Xavier Xiao Xin
Yan Yang Yasmin Yi Ying Yoshua Yu Yuki Yusuf Zara Zhen Zhiyuan Zoe""".split()
MIDDLE = """Ramachandra Kumar Maria Jose Anne Lee Marie Paul Raj Singh Chandra Elizabeth Ann
Victor Alexander James Michael Louise Grace Prakash Mohan Xavier Rose""".split()
FAMILY = """Abbasi Abe Acharya Adams Agarwal Ahmadi Alonso Alvarez Amini Anand Andersen Arora
Azabou Bai Balasubramanian Banerjee Bauer Becker Bernard Bhatt Bianchi Blanc Bose Brown Bruna
Cai Campbell Cao Carvalho Castro Chakraborty Chandra Chang Chatterjee Chen Cheng Choi Chopra
Costa Cruz Dai Das Deng Desai Dias Ding Dubois Dutta Eriksson Fang Farah Fernandes Fischer
Fontaine Fu Gao Garcia Ghosh Gomez Gonzalez Gupta Haddad Hall Han Hansen Hashimoto He Hernandez
Hoang Hoffmann Hu Huang Hussain Ibrahim Inoue Ito Iyer Jain Jansen Jiang Jin Johansson Johnson
Joshi Jung Kang Kapoor Kato Khan Kim Kini Klein Koch Kothapalli Kovacs Kowalski Krishnan Kumar
Kuznetsov Lambert Lang Larsen Laurent Le Lee Lehmann Li Liang Lim Lin Liu Lopez Lu Luo Ma Mahajan
Malik Martin Martinez Matsumoto Mehta Meyer Mishra Mohan Moreau Morozov Mueller Murphy Nair
Nakamura Nguyen Nielsen Novak Okafor Oliveira Ortiz Panigrahi Pang Park Patel Peng Pereira
Petrov Pham Pillai Popescu Qian Qiu Rahman Ramirez Rao Reddy Ren Ricci Rivera Rodriguez Romano
Rossi Roy Saito Santos Sato Schmidt Schneider Sen Shah Sharma Shen Shi Silva Singh Sinha Smith
Song Sousa Srinivasan Sun Suzuki Tan Tanaka Tang Thakoor Thrampoulidis Tian Tirer Torres Tran
Vakilian Varma Verma Volkov Wagner Wang Weber Wei Wong Wu Xia Xie Xu Yadav Yamamoto Yan Yang Yao
Ye Yin Yoshida Yu Yuan Zeng Zhang Zhao Zheng Zhou Zhu Zimmermann""".split()

# People who are always in the pool, in the neural-collapse group, so that the
# benchmark's queries ("kothapali", "kini") have someone to find.
ANCHORS = ["Vignesh Kothapalli", "Ganesh Ramachandra Kini", "Christos Thrampoulidis",
           "Tom Tirer", "Joan Bruna", "Vala Vakilian", "Tianyu Pang", "Shenyang Deng"]

AFFILIATIONS = ["gatech", "princeton", "stanford", "mit", "cmu", "berkeley", "eth", "oxford",
                "tsinghua", "kaist", "mila", "utoronto", "epfl", "nyu", "ubc"]

# -- the user's data ---------------------------------------------------------------------
TAGS = ["theory", "to-read", "reproduce", "survey", "optimization", "graphs", "llm", "vision",
        "important", "teaching", "related-work", "baseline", "follow-up", "reading-group", "cited"]
NOTE_SENTENCES = [
    "Revisit the proof of the main theorem; the second step looks loose.",
    "Compare with the ablation in section 5 before citing.",
    "Good baseline for the **thesis** chapter on optimization.",
    "The appendix has the *hyperparameters* we need to reproduce figure 3.",
    "Discussed in reading group; main claim holds only for balanced data.",
    "- check the released code\n- rerun on our cluster",
    "Cite in the related-work paragraph about scaling.",
    "Their definition differs from ours: careful with the notation.",
    "Ask the authors about the missing learning-rate schedule.",
    "Worth a slide in the teaching deck.",
]
