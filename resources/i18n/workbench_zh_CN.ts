<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AlignmentView</name>
    <message>
        <location filename="../../workbench/gui/widgets/cross_attention_view.py" line="105"/>
        <source>Each generated token (bottom) linked to the source tokens (top) it attends to most, special tokens left out.</source>
        <translation>每个生成的词元（下方）连到它最关注的源词元（上方），不含特殊词元。</translation>
    </message>
</context>
<context>
    <name>AnalysisPanel</name>
    <message>
        <location filename="../../workbench/gui/panels/analysis_panel.py" line="34"/>
        <source>Embedding map</source>
        <translation>嵌入图</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/analysis_panel.py" line="35"/>
        <source>Slices</source>
        <translation>切片</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/analysis_panel.py" line="36"/>
        <source>Bias probes</source>
        <translation>偏见探测</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/analysis_panel.py" line="37"/>
        <source>Label errors</source>
        <translation>标注错误</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/analysis_panel.py" line="39"/>
        <source>Where the model fails and why: its examples as a map, groups of examples compared, predictions with swapped terms, and training rows that look mislabeled.</source>
        <translation>模型在哪里出错、为什么出错：样本的嵌入图、样本分组的比较、替换词语后的预测，以及看起来标注错误的训练行。</translation>
    </message>
</context>
<context>
    <name>AttentionHeatmap</name>
    <message>
        <location filename="../../workbench/gui/widgets/heatmap.py" line="211"/>
        <source>key (attended to)</source>
        <translation>键（被关注的词元）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/heatmap.py" line="211"/>
        <source>query (attending)</source>
        <translation>查询（发出关注的词元）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/heatmap.py" line="212"/>
        <source>attention weight</source>
        <translation>注意力权重</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/heatmap.py" line="222"/>
        <source>Each row is a token attending (query); each column a token attended to (key).
Rows sum to 1. Scroll to zoom, drag to pan; hover a cell for its value.</source>
        <translation>每一行是发出关注的词元（查询），每一列是被关注的词元（键）。
每行之和为 1。滚轮缩放，拖动平移；悬停在单元格上可查看数值。</translation>
    </message>
</context>
<context>
    <name>AttentionPanel</name>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="74"/>
        <source>attention rollout (all layers, residual)</source>
        <translation>注意力展开（所有层，含残差）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/attention_texts.py" line="9"/>
        <source>Attention views do not apply to a BiLSTM: it has no attention. Saliency in the Prediction tab still works.</source>
        <translation>注意力视图不适用于 BiLSTM：它没有注意力。“预测”标签页中的显著性仍然可用。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="78"/>
        <source>causal: each token attends only to earlier tokens (and itself)</source>
        <translation>因果：每个词元只关注它之前的词元（及其自身）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="81"/>
        <source>XLNet: content-stream attention (two-stream relative attention; query stream not shown)</source>
        <translation>XLNet：内容流注意力（双流相对注意力；未显示查询流）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="215"/>
        <source>Attention will be computed when this panel is shown.</source>
        <translation>显示此面板时将计算注意力。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="220"/>
        <source>No model yet: make a prediction first.</source>
        <translation>尚无模型：请先进行一次预测。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="223"/>
        <source>No text yet: type a sentence in the prediction panel.</source>
        <translation>尚无文本：请在预测面板中输入一个句子。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="230"/>
        <source>Computing attention…</source>
        <translation>正在计算注意力…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="283"/>
        <source>Layer </source>
        <translation>层 </translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="285"/>
        <source>Which layer&apos;s attention to show (0 = the first, nearest the input).</source>
        <translation>显示哪一层的注意力（0 = 第一层，最靠近输入）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="288"/>
        <source>Head </source>
        <translation>头 </translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="289"/>
        <source>Which attention head of the layer to show. Or click a thumbnail.</source>
        <translation>显示该层的哪个注意力头。也可以点击缩略图。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="290"/>
        <source>Mean over heads</source>
        <translation>各头平均</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="292"/>
        <source>Average the attention of all heads of the layer (rows still sum to 1).</source>
        <translation>对该层所有头的注意力取平均（每行之和仍为 1）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="294"/>
        <source>Hide special tokens</source>
        <translation>隐藏特殊词元</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="296"/>
        <source>Leave out [CLS], [SEP], &lt;|endoftext|&gt; and other special tokens, and renormalise each row to sum to 1. They often take most of the attention and flatten the rest of the map.</source>
        <translation>去掉 [CLS]、[SEP]、&lt;|endoftext|&gt; 等特殊词元，并将每行重新归一化为 1。它们常常占去大部分注意力，使图的其余部分显得平淡。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="299"/>
        <source>Stretch colours</source>
        <translation>拉伸颜色</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="301"/>
        <source>Colour each map from 0 to its own largest weight instead of from 0 to 1. A long input spreads attention thin, which on the 0 to 1 scale is drawn almost all dark; stretched, the colour bar shows each map&apos;s range, and colours no longer compare between maps.</source>
        <translation>每张图的颜色从 0 到它自己的最大权重，而不是从 0 到 1。输入较长时注意力分散，在 0 到 1 的刻度上几乎全是暗色；拉伸后，色条显示每张图的范围，但不同图之间的颜色不再可比。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="308"/>
        <source>Export PNG…</source>
        <translation>导出 PNG…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="309"/>
        <source>Save the heatmap as it is drawn, as a PNG image.</source>
        <translation>将当前绘制的热力图保存为 PNG 图片。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="310"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="312"/>
        <source>Save the drawn matrix as CSV: the first row and column hold the tokens.</source>
        <translation>将绘制的矩阵保存为 CSV：第一行和第一列是词元。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="314"/>
        <source>Recompute</source>
        <translation>重新计算</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="316"/>
        <source>Compute the attention of the current input again (e.g. after more training).</source>
        <translation>重新计算当前输入的注意力（例如在继续训练之后）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="323"/>
        <source>Encoder self-attention</source>
        <translation>编码器自注意力</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="324"/>
        <source>Decoder self-attention</source>
        <translation>解码器自注意力</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="325"/>
        <source>Which self-attention of the encoder-decoder the views below show.</source>
        <translation>下方视图显示编码器-解码器的哪一种自注意力。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="340"/>
        <source>What this map shows for this kind of model.</source>
        <translation>对这类模型而言，这张图显示的是什么。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="342"/>
        <source>Make a prediction to see the model&apos;s attention.</source>
        <translation>进行一次预测即可查看模型的注意力。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="344"/>
        <source>What the attention view is doing.</source>
        <translation>注意力视图当前的状态。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="355"/>
        <source>Every head of the selected layer. Click one to show it large.</source>
        <translation>所选层的所有注意力头。点击其中一个可放大显示。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="361"/>
        <source>Heatmap</source>
        <translation>热力图</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="362"/>
        <source>Head view</source>
        <translation>头视图</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="368"/>
        <source>Model view</source>
        <translation>模型视图</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="371"/>
        <source>input token</source>
        <translation>输入词元</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="372"/>
        <source>position at the top layer</source>
        <translation>顶层位置</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="374"/>
        <source>Attention rollout (Abnar &amp; Zuidema 2020): the heads of each layer averaged, the
residual connection added (0.5 A + 0.5 I), and the layers multiplied bottom-up.
Row i: how much of each input token reaches position i at the top layer.</source>
        <translation>注意力展开（Abnar &amp; Zuidema 2020）：对每层的各头取平均，加上
残差连接（0.5 A + 0.5 I），再自下而上逐层相乘。
第 i 行：每个输入词元有多少到达顶层的位置 i。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="378"/>
        <source>Rollout</source>
        <translation>注意力展开</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="382"/>
        <source>Head statistics</source>
        <translation>头统计</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="384"/>
        <source>Cross-attention</source>
        <translation>交叉注意力</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="387"/>
        <source>The attention as a heatmap, as lines between the tokens, as all heads at once, rolled out over the layers, or summarised per head.</source>
        <translation>以热力图、词元间连线、所有头一览、跨层展开或按头汇总的方式查看注意力。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="252"/>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="253"/>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="434"/>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="435"/>
        <source> of {last}</source>
        <translation> / {last}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="444"/>
        <source>{tokens} tokens ({specials} special) · {layers} layers × {heads} heads · {model} · rows: query, columns: key</source>
        <translation>{tokens} 个词元（{specials} 个特殊词元）· {layers} 层 × {heads} 个头 · {model} · 行：查询，列：键</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="448"/>
        <source>model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="484"/>
        <source>Computing integrated gradients…</source>
        <translation>正在计算积分梯度…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="510"/>
        <source>Attention could not be computed.</source>
        <translation>无法计算注意力。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="559"/>
        <source>Export heatmap as PNG</source>
        <translation>将热力图导出为 PNG</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="560"/>
        <source>PNG image (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="567"/>
        <source>Could not write {path}: check the folder exists and is writable.</source>
        <translation>无法写入 {path}：请检查文件夹是否存在且可写。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="572"/>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="598"/>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="579"/>
        <source>Export matrix as CSV</source>
        <translation>将矩阵导出为 CSV</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="580"/>
        <source>CSV file (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="593"/>
        <source>Could not write {path}: {error}</source>
        <translation>无法写入 {path}：{error}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="630"/>
        <source>layer {layer}</source>
        <translation>第 {layer} 层</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="632"/>
        <source>mean over heads</source>
        <translation>各头平均</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="634"/>
        <source>head {head}</source>
        <translation>头 {head}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="636"/>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="680"/>
        <source> · special tokens hidden</source>
        <translation> · 已隐藏特殊词元</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="648"/>
        <source>nothing to show: the input has only special tokens</source>
        <translation>无可显示内容：输入只有特殊词元</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/attention_panel.py" line="683"/>
        <source> · causal: follows the causal mask (each position mixes only earlier tokens)</source>
        <translation> · 因果：遵循因果掩码（每个位置只混合之前的词元）</translation>
    </message>
</context>
<context>
    <name>BackgroundRun</name>
    <message>
        <location filename="../../workbench/gui/background_run.py" line="106"/>
        <source>The training process did not stop at a step boundary and was ended by force; the run can be resumed from its last checkpoint.</source>
        <translation>训练进程未在步边界处停止，已被强制结束；可以从它的最后一个检查点继续这次运行。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/background_run.py" line="201"/>
        <source>The last line of {file} was cut off ({size} bytes) and was not read.</source>
        <translation>{file} 的最后一行不完整（{size} 字节），未被读取。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/background_run.py" line="210"/>
        <source>The training process ended without a final event (exit code {code}).</source>
        <translation>训练进程在没有写出结束事件的情况下退出（退出码 {code}）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/background_run.py" line="213"/>
        <source>The training process ended without a final event.</source>
        <translation>训练进程在没有写出结束事件的情况下退出。</translation>
    </message>
</context>
<context>
    <name>CatalogueDialog</name>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="94"/>
        <source>Browse models</source>
        <translation>浏览模型</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="114"/>
        <source>Training memory ≈ parameters × 16 bytes (fp32 weights, gradients, AdamW&apos;s two moments) + batch × max length × hidden × layers × {fp32} bytes of activations ({mixed} in bf16/fp16).
Time per epoch ≈ 6 × parameters (without the embeddings) × tokens in the training data, divided by this machine&apos;s measured matmul speed × {efficiency} (what a real fine-tuning step reaches). Rough figures: evaluation and tokenising come on top.</source>
        <translation>训练内存 ≈ 参数量 × 16 字节（fp32 权重、梯度、AdamW 的两个动量）+ 批大小 × 最大长度 × 隐藏层大小 × 层数 × {fp32} 字节的激活（bf16/fp16 下为 {mixed}）。
每轮时间 ≈ 6 × 参数量（不含嵌入层）× 训练数据的词元数，再除以本机实测的矩阵乘法速度 × {efficiency}（实际微调步能达到的比例）。均为粗略数字：评估和分词的时间另计。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="128"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="128"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="128"/>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="128"/>
        <source>Download</source>
        <translation>下载大小</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="129"/>
        <source>Training memory</source>
        <translation>训练内存</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="129"/>
        <source>Time / epoch</source>
        <translation>每轮时间</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="129"/>
        <source>Here</source>
        <translation>本机</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="142"/>
        <source>or any hub id, e.g. org/model-name</source>
        <translation>或任意 Hub ID，例如 org/model-name</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="145"/>
        <source>Download another model from the hub by its id: its config, tokenizer and safetensors weights (never pickle weights)</source>
        <translation>按 ID 从 Hub 下载其他模型：它的配置、分词器和 safetensors 权重（从不下载 pickle 权重）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="159"/>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="409"/>
        <source>&amp;Download and use</source>
        <translation>下载并使用(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="162"/>
        <source>&amp;Cancel download</source>
        <translation>取消下载(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="165"/>
        <source>Stop the download; what arrived is kept, and the next download continues from there</source>
        <translation>停止下载；已下载的部分会保留，下次下载从那里继续</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="176"/>
        <source>Other model:</source>
        <translation>其他模型：</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="241"/>
        <source>Asking the hub for {model}…</source>
        <translation>正在向 Hub 查询 {model}…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="253"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="313"/>
        <source>installed</source>
        <translation>已安装</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="313"/>
        <source>in cache</source>
        <translation>在缓存中</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="314"/>
        <source>partly downloaded ({size})</source>
        <translation>已下载部分（{size}）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="324"/>
        <source>Tasks: {tasks}</source>
        <translation>任务：{tasks}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="334"/>
        <source>More than this machine has available ({memory})</source>
        <translation>超过本机可用内存（{memory}）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="346"/>
        <source>English</source>
        <translation>英语</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="347"/>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="348"/>
        <source>multilingual</source>
        <translation>多语言</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="355"/>
        <source>Load a dataset to see the time per epoch. Memory for batch {batch} × {length} tokens.</source>
        <translation>加载数据集后可查看每轮时间。内存按批大小 {batch} × {length} 个词元估算。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="359"/>
        <source>Estimates for your data: {rows} training rows of ~{tokens} tokens, batch {batch} × {length} tokens.</source>
        <translation>按你的数据估算：{rows} 行训练数据，每行约 {tokens} 个词元，批大小 {batch} × {length} 个词元。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="364"/>
        <source>Time measured on {device}: {gflops} GFLOP/s.</source>
        <translation>时间按 {device} 上的实测速度估算：{gflops} GFLOP/s。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="371"/>
        <source>Checking whether the hub can be reached…</source>
        <translation>正在检查能否连接 Hub…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="376"/>
        <source>Online: choose a model and press Download and use. Only its config, tokenizer and safetensors weights are fetched, into the Hugging Face cache.</source>
        <translation>在线：选择一个模型，然后点击“下载并使用”。只会获取它的配置、分词器和 safetensors 权重，存入 Hugging Face 缓存。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="383"/>
        <source>offline mode is on (HF_HUB_OFFLINE)</source>
        <translation>已开启离线模式（HF_HUB_OFFLINE）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="385"/>
        <source>the hub ({endpoint}) cannot be reached</source>
        <translation>无法连接 Hub（{endpoint}）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="391"/>
        <source>Offline: {reason}. Models that are installed or already in the cache can still be used; the others need a connection to download.</source>
        <translation>离线：{reason}。已安装或已在缓存中的模型仍可使用；其他模型需要联网下载。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="409"/>
        <source>&amp;Use</source>
        <translation>使用(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="458"/>
        <source>Downloading {model}: {files} files, {size}</source>
        <translation>正在下载 {model}：{files} 个文件，{size}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="462"/>
        <source> ({size} already here: resuming)</source>
        <translation>（已有 {size}：继续下载）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="469"/>
        <source>{file}: {done} of {total}</source>
        <translation>{file}：{done} / {total}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="476"/>
        <source>Cancelled: {done} of {total} kept. Download again continues from there.</source>
        <translation>已取消：保留了 {done} / {total}。再次下载会从那里继续。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/catalogue_dialog.py" line="483"/>
        <source>Downloaded {model}.</source>
        <translation>已下载 {model}。</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <location filename="../../workbench/gui/widgets/chat_view.py" line="30"/>
        <source>The conversation so far: the model reads its latest turns.</source>
        <translation>目前的对话：模型读取其中最近的几轮。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/chat_view.py" line="31"/>
        <source>New conversation</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/chat_view.py" line="32"/>
        <source>Forget the turns so far and start again.</source>
        <translation>忘掉目前的对话，重新开始。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/chat_view.py" line="36"/>
        <source>What the model read for its last reply (as training built it).</source>
        <translation>模型为上一条回复读取的输入（与训练时的构造方式相同）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/chat_view.py" line="49"/>
        <source>The model read: {context}</source>
        <translation>模型读取：{context}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/chat_view.py" line="72"/>
        <source>A new conversation: say something below.</source>
        <translation>新的对话：请在下方输入。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/chat_view.py" line="76"/>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/chat_view.py" line="76"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
</context>
<context>
    <name>CheckpointChooser</name>
    <message>
        <location filename="../../workbench/gui/dialogs/checkpoint_chooser.py" line="55"/>
        <source>Resume from a checkpoint</source>
        <translation>从检查点继续</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/checkpoint_chooser.py" line="57"/>
        <source>Resume {run} from which checkpoint? The run continues in its own folder with the settings it was started with (its config.json), not the panels&apos; current ones.</source>
        <translation>从哪个检查点继续 {run}？该运行会在它自己的文件夹中按启动时的设置（它的 config.json）继续，而不是使用各面板当前的设置。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/checkpoint_chooser.py" line="62"/>
        <source>Checkpoint</source>
        <translation>检查点</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/checkpoint_chooser.py" line="62"/>
        <source>Step</source>
        <translation>步数</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/checkpoint_chooser.py" line="62"/>
        <source>Saved</source>
        <translation>保存时间</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/checkpoint_chooser.py" line="62"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/checkpoint_chooser.py" line="67"/>
        <source>Damaged checkpoints are greyed out; hover over one to see what is wrong</source>
        <translation>已损坏的检查点显示为灰色；将鼠标悬停其上可查看问题所在</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/checkpoint_chooser.py" line="70"/>
        <source>Checking the checkpoints…</source>
        <translation>正在校验检查点…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/checkpoint_chooser.py" line="74"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/checkpoint_chooser.py" line="75"/>
        <source>Continue the run from the selected checkpoint</source>
        <translation>从所选检查点继续这次运行</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/checkpoint_chooser.py" line="115"/>
        <source>latest</source>
        <translation>最新</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/checkpoint_chooser.py" line="117"/>
        <source>best</source>
        <translation>最佳</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/checkpoint_chooser.py" line="120"/>
        <source>intact</source>
        <translation>完好</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/checkpoint_chooser.py" line="122"/>
        <source>damaged: {problem}</source>
        <translation>已损坏：{problem}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/checkpoint_chooser.py" line="131"/>
        <source>Cannot resume from this checkpoint:
{problems}</source>
        <translation>无法从此检查点继续：
{problems}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/checkpoint_chooser.py" line="138"/>
        <source>{run} has no checkpoints.</source>
        <translation>{run} 没有检查点。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/checkpoint_chooser.py" line="140"/>
        <source>No checkpoint of {run} is intact, so it cannot be resumed. Start a new run instead.</source>
        <translation>{run} 没有完好的检查点，因此无法继续。请改为开始一次新的运行。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/checkpoint_chooser.py" line="145"/>
        <source>{count} checkpoint, {damaged} damaged.</source>
        <translation>{count} 个检查点，{damaged} 个已损坏。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/checkpoint_chooser.py" line="146"/>
        <source>{count} checkpoints, {damaged} damaged.</source>
        <translation>{count} 个检查点，{damaged} 个已损坏。</translation>
    </message>
</context>
<context>
    <name>CommandDialog</name>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="564"/>
        <source>Equivalent command</source>
        <translation>等效命令</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="571"/>
        <source>Command line (runs the same training headless)</source>
        <translation>命令行（无界面运行同样的训练）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="572"/>
        <source>Copy the workbench train command</source>
        <translation>复制 workbench train 命令</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="573"/>
        <source>Config file (workbench train --config FILE)</source>
        <translation>配置文件（workbench train --config FILE）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="574"/>
        <source>Copy the config as JSON</source>
        <translation>以 JSON 复制配置</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="578"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
</context>
<context>
    <name>ComparePanel</name>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="46"/>
        <source>What did fine-tuning change in this head? Red: B attends more than A; blue: B attends less. Rows are queries, columns keys.</source>
        <translation>微调改变了这个头的什么？红色：B 比 A 更关注；蓝色：B 关注得更少。行是查询，列是键。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="52"/>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="53"/>
        <source>label</source>
        <translation>标签</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="56"/>
        <source>conf A</source>
        <translation>A 置信度</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="57"/>
        <source>conf B</source>
        <translation>B 置信度</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="59"/>
        <source>Select a disagreement to see how B&apos;s attention differs from A&apos;s.</source>
        <translation>选择一个分歧样本，查看 B 的注意力与 A 有何不同。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="114"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="115"/>
        <source>Choose a folder</source>
        <translation>选择文件夹</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="115"/>
        <source>Choose a file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="124"/>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="127"/>
        <source>run, checkpoint or model folder</source>
        <translation>运行、检查点或模型文件夹</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="125"/>
        <source>Model A: e.g. an early checkpoint (run/checkpoints/step-…).</source>
        <translation>模型 A：例如较早的检查点（run/checkpoints/step-…）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="128"/>
        <source>Model B: e.g. the final model of the same run.</source>
        <translation>模型 B：例如同一运行的最终模型。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="130"/>
        <source>labelled file (csv, tsv, jsonl)</source>
        <translation>带标签的文件（csv、tsv、jsonl）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="131"/>
        <source>A labelled file in the same format as for training.</source>
        <translation>与训练时格式相同的带标签文件。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="132"/>
        <source>Model A</source>
        <translation>模型 A</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="133"/>
        <source>Model B</source>
        <translation>模型 B</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="134"/>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="136"/>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="137"/>
        <source>Evaluate both models on the data file and list where they disagree.</source>
        <translation>在数据文件上评估两个模型，并列出它们预测不一致的样本。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="139"/>
        <source>Choose two models and a labelled file, then Compare.</source>
        <translation>选择两个模型和一个带标签的文件，然后点击“比较”。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="141"/>
        <source>Accuracy of A and B on the file, and how many predictions differ.</source>
        <translation>A 和 B 在该文件上的准确率，以及有多少预测不同。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="165"/>
        <source>Examples where A and B predict different labels, the most confident first.
Select one to see how their attention differs on it.</source>
        <translation>A 和 B 预测标签不同的样本，置信度最高的排在前面。
选择一个，查看它们在其上的注意力有何不同。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="170"/>
        <source>Layer of the attention difference (0 = nearest the input).</source>
        <translation>注意力差异所在的层（0 = 最靠近输入）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="172"/>
        <source>Attention head within the layer.</source>
        <translation>层内的注意力头。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="177"/>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="179"/>
        <source>Head</source>
        <translation>头</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="184"/>
        <source>The map is B&apos;s attention weights minus A&apos;s, for the selected text.</source>
        <translation>此图为所选文本上 B 的注意力权重减去 A 的注意力权重。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="227"/>
        <source>Choose model A, model B and a labelled data file first.</source>
        <translation>请先选择模型 A、模型 B 和一个带标签的数据文件。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="233"/>
        <source>Comparing…</source>
        <translation>正在比较…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="247"/>
        <source>Choose a run, checkpoint or model folder</source>
        <translation>选择运行、检查点或模型文件夹</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="250"/>
        <source>Choose a labelled file</source>
        <translation>选择带标签的文件</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="288"/>
        <source>The comparison failed.</source>
        <translation>比较失败。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="305"/>
        <source>B − A · layer {layer}, head {head} · max |change| {change}</source>
        <translation>B − A · 第 {layer} 层，头 {head} · 最大 |变化| {change}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="322"/>
        <source>Accuracy A {a} vs B {b} · {differ} of {total} examples predicted differently</source>
        <translation>准确率 A {a}，B {b} · {total} 个样本中有 {differ} 个预测不同</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="328"/>
        <source>{summary} · the table lists the {shown} most confident</source>
        <translation>{summary} · 表中列出置信度最高的 {shown} 条</translation>
    </message>
</context>
<context>
    <name>ConfusionMatrixWidget</name>
    <message>
        <location filename="../../workbench/gui/widgets/confusion.py" line="332"/>
        <source>Rows: true label · columns: predicted label · click a cell to list its examples</source>
        <translation>行：真实标签 · 列：预测标签 · 点击单元格列出其中的样本</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/confusion.py" line="340"/>
        <source>Row-normalised</source>
        <translation>按行归一化</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/confusion.py" line="343"/>
        <source>Colour each cell by its share of the true class (0–1) instead of its count, so rare classes show their mistakes as clearly as common ones.</source>
        <translation>按单元格占该真实类别的比例（0–1）而不是样本数着色，这样少见类别的错误和常见类别一样醒目。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/confusion.py" line="351"/>
        <source>How to read the confusion matrix.</source>
        <translation>如何阅读混淆矩阵。</translation>
    </message>
</context>
<context>
    <name>ConfusionPlot</name>
    <message>
        <location filename="../../workbench/gui/widgets/confusion.py" line="90"/>
        <source>predicted label</source>
        <translation>预测标签</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/confusion.py" line="90"/>
        <source>true label</source>
        <translation>真实标签</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/confusion.py" line="90"/>
        <location filename="../../workbench/gui/widgets/confusion.py" line="237"/>
        <source>examples</source>
        <translation>样本数</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/confusion.py" line="117"/>
        <source>Rows: the true label; columns: the predicted label. The diagonal holds the right answers.
Click a cell to list its examples below. Scroll to zoom, drag to pan.</source>
        <translation>行：真实标签；列：预测标签。对角线上是预测正确的样本。
点击单元格在下方列出其中的样本。滚轮缩放，拖动平移。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/confusion.py" line="237"/>
        <source>share of the true class</source>
        <translation>占真实类别的比例</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/confusion.py" line="284"/>
        <source>right</source>
        <translation>正确</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/confusion.py" line="284"/>
        <source>wrong</source>
        <translation>错误</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/confusion.py" line="286"/>
        <source>{count} examples</source>
        <translation>{count} 个样本</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/confusion.py" line="286"/>
        <source>{count} example</source>
        <translation>{count} 个样本</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/confusion.py" line="289"/>
        <source>true {true} → predicted {predicted}: {examples} ({share} of {total}, {verdict})</source>
        <translation>真实 {true} → 预测 {predicted}：{examples}（占 {total} 个中的 {share}，{verdict}）</translation>
    </message>
</context>
<context>
    <name>CrossAttentionHeatmap</name>
    <message>
        <location filename="../../workbench/gui/widgets/cross_attention_view.py" line="49"/>
        <source>source token (attended to)</source>
        <translation>源词元（被关注）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/cross_attention_view.py" line="50"/>
        <source>generated token</source>
        <translation>生成的词元</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/cross_attention_view.py" line="52"/>
        <source>Each row is a generated token; each column a source token. Row t shows where the decoder
looked while it produced token t (rows sum to 1). Scroll to zoom; hover a cell for its value.</source>
        <translation>每一行是一个生成的词元，每一列是一个源词元。第 t 行显示解码器生成第 t 个词元时
关注的位置（每行之和为 1）。滚动缩放；悬停在格子上查看数值。</translation>
    </message>
</context>
<context>
    <name>CrossAttentionView</name>
    <message>
        <location filename="../../workbench/gui/widgets/cross_attention_view.py" line="167"/>
        <source>Layer </source>
        <translation>层 </translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/cross_attention_view.py" line="168"/>
        <source>Which decoder layer&apos;s cross-attention to show.</source>
        <translation>显示解码器哪一层的交叉注意力。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/cross_attention_view.py" line="170"/>
        <source>Head </source>
        <translation>头 </translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/cross_attention_view.py" line="171"/>
        <source>Which cross-attention head of the layer to show.</source>
        <translation>显示该层的哪个交叉注意力头。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/cross_attention_view.py" line="172"/>
        <source>Mean over heads</source>
        <translation>各头平均</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/cross_attention_view.py" line="173"/>
        <source>Average the cross-attention of all heads of the layer (rows still sum to 1).</source>
        <translation>对该层所有头的交叉注意力取平均（每行之和仍为 1）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/cross_attention_view.py" line="174"/>
        <source>Mean over output</source>
        <translation>对整个输出取平均</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/cross_attention_view.py" line="176"/>
        <source>One row: the cross-attention averaged over every generated token, i.e. which source tokens
the decoder read most while it wrote the whole output (the row still sums to 1).</source>
        <translation>只有一行：对每个生成词元的交叉注意力取平均，即解码器在写出整个输出时
最常读取哪些源词元（该行之和仍为 1）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/cross_attention_view.py" line="181"/>
        <source>IG steps </source>
        <translation>积分梯度步数 </translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/cross_attention_view.py" line="183"/>
        <source>Integrated gradients: points on the path from the baseline to the source. More steps: a smaller
delta (the attributions add up to the change they explain), and a slower explanation.</source>
        <translation>积分梯度：从基线到源文本路径上的取点数。步数越多，delta 越小
（归因之和等于它们所解释的变化），解释也越慢。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/cross_attention_view.py" line="187"/>
        <source>baseline: pad</source>
        <translation>基线：填充</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/cross_attention_view.py" line="187"/>
        <source>baseline: zero</source>
        <translation>基线：零</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/cross_attention_view.py" line="189"/>
        <source>What the source is compared with: every word replaced by the padding token (pad), or by a
zero embedding (zero). Special tokens stay as they are.</source>
        <translation>源文本与什么比较：每个词替换为填充词元（填充），或替换为
零嵌入（零）。特殊词元保持不变。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/cross_attention_view.py" line="219"/>
        <location filename="../../workbench/gui/widgets/cross_attention_view.py" line="281"/>
        <source>Click a generated token to see which source tokens it comes from.</source>
        <translation>点击一个生成的词元，查看它来自哪些源词元。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/cross_attention_view.py" line="223"/>
        <source>Integrated gradients of the clicked token&apos;s log-probability with respect to the source embeddings:
red tokens raised it, blue ones lowered it. delta: sum of attributions minus the change it explains.</source>
        <translation>所点词元的对数概率相对于源嵌入的积分梯度：
红色词元提高了它，蓝色词元降低了它。delta：归因之和减去它所解释的变化量。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/cross_attention_view.py" line="229"/>
        <source>Generated tokens (click one to explain it):</source>
        <translation>生成的词元（点击一个以解释它）：</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/cross_attention_view.py" line="278"/>
        <source> of {last}</source>
        <translation> / {last}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/cross_attention_view.py" line="287"/>
        <source>Token {index} “{token}”: log p = {logp:.3f}, integrated gradients over {steps} steps, delta {delta:+.4f}</source>
        <translation>词元 {index}「{token}」：log p = {logp:.3f}，积分梯度 {steps} 步，delta {delta:+.4f}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/cross_attention_view.py" line="307"/>
        <source>Explain generated token {index}</source>
        <translation>解释生成的第 {index} 个词元</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/cross_attention_view.py" line="325"/>
        <source>all {count} generated</source>
        <translation>全部 {count} 个生成词元</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/cross_attention_view.py" line="327"/>
        <source>mean over heads</source>
        <translation>各头平均</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/cross_attention_view.py" line="327"/>
        <source>head {head}</source>
        <translation>头 {head}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/cross_attention_view.py" line="330"/>
        <source> · mean over output</source>
        <translation> · 对输出取平均</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/cross_attention_view.py" line="331"/>
        <source>cross-attention · layer {layer} · {what}</source>
        <translation>交叉注意力 · 第 {layer} 层 · {what}</translation>
    </message>
</context>
<context>
    <name>DatasetPanel</name>
    <message>
        <location filename="../../workbench/gui/widgets/file_filters.py" line="12"/>
        <source>Data files (*.csv *.tsv *.jsonl *.ndjson *.txt *.conll *.bio *.iob *.bioes *.conllu *.json *.parquet *.arrow *.feather *.ipc *.xlsx *.xlsm dataset_info.json dataset_dict.json)</source>
        <translation>数据文件 (*.csv *.tsv *.jsonl *.ndjson *.txt *.conll *.bio *.iob *.bioes *.conllu *.json *.parquet *.arrow *.feather *.ipc *.xlsx *.xlsm dataset_info.json dataset_dict.json)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/file_filters.py" line="20"/>
        <source>Plain text, one example per line (*.txt)</source>
        <translation>纯文本，每行一个样本 (*.txt)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/file_filters.py" line="23"/>
        <source>SQuAD question answering (*.json)</source>
        <translation>SQuAD 问答 (*.json)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/file_filters.py" line="26"/>
        <source>Excel workbooks (*.xlsx *.xlsm)</source>
        <translation>Excel 工作簿 (*.xlsx *.xlsm)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/file_filters.py" line="28"/>
        <source>Saved datasets folders (dataset_info.json dataset_dict.json)</source>
        <translation>datasets 保存的文件夹 (dataset_info.json dataset_dict.json)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/file_filters.py" line="29"/>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="83"/>
        <source>plain text</source>
        <translation>纯文本</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="90"/>
        <source>Excel workbook</source>
        <translation>Excel 工作簿</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="91"/>
        <source>datasets folder</source>
        <translation>datasets 文件夹</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="92"/>
        <source>hub data set</source>
        <translation>Hub 数据集</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="312"/>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1013"/>
        <source>length in words</source>
        <translation>长度（词）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="339"/>
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="341"/>
        <source>Open a training file: CSV, TSV, JSON Lines, plain text (one example per line), CoNLL, CoNLL-U, Parquet, Arrow/Feather, an Excel workbook, or a folder saved by datasets (choose its dataset_info.json). You can also drop a file onto this panel.</source>
        <translation>打开训练文件：CSV、TSV、JSON Lines、纯文本（每行一个样本）、CoNLL、CoNLL-U、Parquet、Arrow/Feather、Excel 工作簿，或由 datasets 保存的文件夹（选择其中的 dataset_info.json）。也可以把文件或文件夹拖放到此面板上。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="346"/>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1064"/>
        <source>No file — open one or drop it here</source>
        <translation>没有文件 — 请打开一个文件或拖放到这里</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="347"/>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1065"/>
        <source>The training file</source>
        <translation>训练文件</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="349"/>
        <source>Validation file…</source>
        <translation>验证文件…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="351"/>
        <source>Use a separate validation file (same format and columns). Without one, a seeded, stratified share of the training file is held out (the validation fraction).</source>
        <translation>使用单独的验证文件（格式和列相同）。没有验证文件时，按固定种子从训练文件中分层留出一部分（验证集比例）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="355"/>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1070"/>
        <source>held out from the training file</source>
        <translation>从训练文件中留出</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="356"/>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1071"/>
        <source>Where the validation examples come from</source>
        <translation>验证样本的来源</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="363"/>
        <source>Stop using the validation file; hold out a share of the training file instead</source>
        <translation>不再使用验证文件，改为从训练文件中留出一部分</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="372"/>
        <source>Working…</source>
        <translation>处理中…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="374"/>
        <source>What the panel is doing in the background</source>
        <translation>面板正在后台做什么</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="389"/>
        <source>The sheet of the workbook to read</source>
        <translation>要读取的工作簿工作表</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="393"/>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1128"/>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="397"/>
        <source>File format. &apos;auto&apos; decides from the extension and the content (a .csv file may still use &apos;;&apos; or tabs). Choose one to override detection.</source>
        <translation>文件格式。“自动”根据扩展名和内容判断（.csv 文件也可能用 &apos;;&apos; 或制表符分隔）。选择一种格式可覆盖自动检测。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="405"/>
        <source>The column with the text (the words, for token classification). Detected from the header names and contents; change it if the guess is wrong.</source>
        <translation>文本所在的列（词元分类任务中为词）。根据表头名称和内容检测；猜错时请更改。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="410"/>
        <source>Optional second text for sentence-pair tasks (premise/hypothesis, question/passage). &apos;{none}&apos; = single sentences.</source>
        <translation>句子对任务的第二段文本，可选（前提/假设、问题/段落）。&apos;{none}&apos; = 单句。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="415"/>
        <source>The column with the label (the tags, for token classification). Not used for language-model pre-training.</source>
        <translation>标签所在的列（词元分类任务中为标注）。语言模型预训练不使用此列。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="419"/>
        <source>choose a column</source>
        <translation>请选择一列</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="436"/>
        <source>Share of the training file held out for validation (seeded and stratified by label) when no validation file is given. 0 = no validation.</source>
        <translation>没有验证文件时，从训练文件中留作验证的比例（按固定种子、按标签分层）。0 = 不验证。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="444"/>
        <source>Sheet</source>
        <translation>工作表</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="445"/>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="446"/>
        <location filename="../../workbench/gui/tasks/registry.py" line="74"/>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="447"/>
        <source>Text pair</source>
        <translation>文本对</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="448"/>
        <location filename="../../workbench/gui/tasks/registry.py" line="74"/>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="449"/>
        <source>Validation fraction</source>
        <translation>验证集比例</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="463"/>
        <source>Multi-label: the character(s) between a row&apos;s labels in the label column, e.g. &apos;|&apos; for &quot;news|sport&quot;. Labels are stripped; an empty cell means no labels (Alt+S).</source>
        <translation>多标签：标签列中一行内各标签之间的分隔字符，例如 &quot;news|sport&quot; 中的 &apos;|&apos;。标签两端的空白会被去掉；空单元格表示没有标签（Alt+S）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="467"/>
        <source>Label &amp;separator</source>
        <translation>标签分隔符(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="478"/>
        <source>What was read and how it will be used</source>
        <translation>读取了什么，以及将如何使用</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="487"/>
        <source>Every row of the file as read (the row header is the line in the file)</source>
        <translation>读取到的文件的每一行（行表头是其在文件中的行号）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="502"/>
        <source>Things worth checking before training: duplicates, train/validation overlap, a single class, strong imbalance, heavy truncation, empty texts</source>
        <translation>训练前值得检查的问题：重复样本、训练集与验证集重叠、只有一个类别、严重不均衡、大量截断、空文本</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="515"/>
        <source>Warnings</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="585"/>
        <source>Open training data</source>
        <translation>打开训练数据</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="593"/>
        <source>Open validation data</source>
        <translation>打开验证数据</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="675"/>
        <source>the training file {path} does not exist.</source>
        <translation>训练文件 {path} 不存在。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="686"/>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="694"/>
        <source>no file loaded</source>
        <translation>未加载文件</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="688"/>
        <source>still loading</source>
        <translation>仍在加载</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="704"/>
        <source>no label column: the file has only one column ({column}). Add a label column to the file, or choose a task that learns from the text alone in the Model tab.</source>
        <translation>没有标签列：该文件只有一列（{column}）。请在文件中添加标签列，或在“模型”标签页中选择只从文本学习的任务。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="708"/>
        <source>no label column: choose one under Label in the Dataset tab (none of {columns} looks like labels)</source>
        <translation>没有标签列：请在“数据集”标签页的“标签”中选择一列（{columns} 都不像标签）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="734"/>
        <source>the label column is also the text column ({column}), the file&apos;s only column: every text would be its own label. Add a label column to the file, or choose a task that learns from the text alone in the Model tab.</source>
        <translation>标签列同时也是文本列（{column}），而且是文件中唯一的一列：每段文本都会成为它自己的标签。请在文件中添加标签列，或在“模型”标签页中选择只从文本学习的任务。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="740"/>
        <source>the label column is also the text pair column ({column}): the model would read the answer. Choose another Label or Text pair column above.</source>
        <translation>标签列同时也是文本对列（{column}）：模型会直接读到答案。请在上方另选“标签”列或“文本对”列。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="745"/>
        <source>the label column is also the text pair column ({column}): choose another Label or Text pair column in the Dataset tab</source>
        <translation>标签列同时也是文本对列（{column}）：请在“数据集”标签页中另选“标签”列或“文本对”列</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="750"/>
        <source>the label column is also the text column ({column}): every text would be its own label. Choose another Label column above.</source>
        <translation>标签列同时也是文本列（{column}）：每段文本都会成为它自己的标签。请在上方另选“标签”列。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="755"/>
        <source>the label column is also the text column ({column}): choose another Label column in the Dataset tab</source>
        <translation>标签列同时也是文本列（{column}）：请在“数据集”标签页中另选“标签”列</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="838"/>
        <source>Showing the first {rows} rows; reading all {total}…</source>
        <translation>正在显示前 {rows} 行；正在读取全部 {total} 行…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="939"/>
        <source>Tokenizing… {done}/{total}</source>
        <translation>分词中… {done}/{total}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="946"/>
        <source>length in tokens ({name} tokenizer)</source>
        <translation>长度（词元，{name} 分词器）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="948"/>
        <source>Counted with the {name} tokenizer, special tokens ([CLS], [SEP] ...) included.</source>
        <translation>用 {name} 分词器统计，包括特殊词元（[CLS]、[SEP] …）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="959"/>
        <source>length in words ({name}: tokenizer not loaded)</source>
        <translation>长度（词；{name}：分词器未加载）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="960"/>
        <source>Counted in words: the tokenizer could not be loaded. {message}</source>
        <translation>按词统计：无法加载分词器。{message}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="989"/>
        <source>Reading {file}…</source>
        <translation>正在读取 {file}…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="990"/>
        <source>Mapping columns…</source>
        <translation>正在映射列…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1014"/>
        <source>Counted in words: choose a model to count its tokens.</source>
        <translation>按词统计：选择一个模型即可统计其词元数。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1016"/>
        <source>length in words ({name}: no tokenizer yet)</source>
        <translation>长度（词；{name}：尚无分词器）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1018"/>
        <source>Counted in words: {name} is built from scratch and its tokenizer is trained on this data when training starts, so there is no tokenizer to count with yet. Its WordPiece/BPE tokens will be somewhat more than the words.</source>
        <translation>按词统计：{name} 是从零开始构建的，它的分词器在训练开始时才在这些数据上训练，所以现在还没有可用于统计的分词器。它的 WordPiece/BPE 词元数会比词数多一些。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1027"/>
        <source>length in words (counting {name} tokens…)</source>
        <translation>长度（词；正在统计 {name} 词元…）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1030"/>
        <source>Counted in words until the tokenizer has measured every example.</source>
        <translation>在分词器统计完所有样本之前，按词统计。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1032"/>
        <source>Loading the {name} tokenizer…</source>
        <translation>正在加载 {name} 分词器…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1130"/>
        <source>auto ({format})</source>
        <translation>自动（{format}）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/tasks/registry.py" line="154"/>
        <source>{count} questions: answerable or not</source>
        <translation>{count} 个问题：可回答与否</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1159"/>
        <source>No labels: {task} learns from the text alone</source>
        <translation>没有标签：{task} 只从文本中学习</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1161"/>
        <source>Label distribution</source>
        <translation>标签分布</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/tasks/registry.py" line="128"/>
        <source>{count} tags, {total} tokens</source>
        <translation>{count} 种标注，{total} 个词元</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/tasks/registry.py" line="116"/>
        <source>{count} labels, {total} label uses</source>
        <translation>{count} 个标签，共使用 {total} 次</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/tasks/registry.py" line="27"/>
        <source>Source</source>
        <translation>源文本</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/tasks/registry.py" line="27"/>
        <source>Target</source>
        <translation>目标文本</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/tasks/registry.py" line="77"/>
        <source>{count} labels, {total} examples</source>
        <translation>{count} 个标签，{total} 个样本</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1173"/>
        <source> (top 30 shown)</source>
        <translation>（显示前 30 个）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1180"/>
        <source>Example lengths</source>
        <translation>样本长度</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1190"/>
        <source>How long the training examples are. The dashed line is max_length: red bars are examples that will be cut to it. {detail}</source>
        <translation>训练样本的长度。虚线是 max_length：红色柱子是将被截断到该长度的样本。{detail}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1196"/>
        <source>tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1196"/>
        <source>words</source>
        <translation>词</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1211"/>
        <source>{share} of the questions ({count}) come with a context longer than max_length {max_length} {unit}: it will be read in overlapping windows.</source>
        <translation>{share} 的问题（{count} 个）的上下文超过 max_length {max_length} 个{unit}：将以重叠窗口的方式读取。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1219"/>
        <source>{share} of the training examples ({count}) are longer than max_length {max_length} {unit} and will be truncated; consider a larger max_length.</source>
        <translation>{share} 的训练样本（{count} 个）超过 max_length {max_length} 个{unit}，将被截断；可以考虑增大 max_length。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1231"/>
        <source>No problems found.</source>
        <translation>未发现问题。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1233"/>
        <source>Nothing to check until the problem above is fixed.</source>
        <translation>在修正上面的问题之前，没有可检查的内容。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1235"/>
        <source>Open a file to check it.</source>
        <translation>打开一个文件以进行检查。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1249"/>
        <source>No data loaded.</source>
        <translation>尚未加载数据。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1251"/>
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1253"/>
        <source>The file could not be read (see above).</source>
        <translation>无法读取该文件（见上方）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1259"/>
        <source>tab</source>
        <translation>制表符</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1259"/>
        <source>comma</source>
        <translation>逗号</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1259"/>
        <source>semicolon</source>
        <translation>分号</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1259"/>
        <source>pipe</source>
        <translation>竖线</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1261"/>
        <source>{format}, {delimiter}-separated</source>
        <translation>{format}，{delimiter}分隔</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1262"/>
        <source>{rows} rows · {format}</source>
        <translation>{rows} 行 · {format}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1262"/>
        <source>{rows} row · {format}</source>
        <translation>{rows} 行 · {format}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1268"/>
        <source>{train} train + {validation} validation (validation file)</source>
        <translation>训练 {train} + 验证 {validation}（验证文件）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1269"/>
        <source>{train} train + {validation} validation (held out)</source>
        <translation>训练 {train} + 验证 {validation}（留出）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1273"/>
        <source>{train} train, no validation</source>
        <translation>训练 {train}，无验证集</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/tasks/registry.py" line="127"/>
        <source>{count} tags</source>
        <translation>{count} 种标注</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/tasks/registry.py" line="76"/>
        <source>{count} labels</source>
        <translation>{count} 个标签</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1281"/>
        <source>{mean} labels per row (max {max}), {rows} rows without a label</source>
        <translation>每行 {mean} 个标签（最多 {max} 个），{rows} 行没有标签</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1287"/>
        <source>task: {task}</source>
        <translation>任务：{task}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1291"/>
        <source>median length {median} {unit}, max {max}</source>
        <translation>长度中位数 {median} 个{unit}，最长 {max}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1298"/>
        <source>not usable for {task} as mapped</source>
        <translation>按当前映射不能用于 {task}</translation>
    </message>
</context>
<context>
    <name>DifferenceHeatmap</name>
    <message>
        <location filename="../../workbench/gui/panels/compare_panel.py" line="78"/>
        <source>B&apos;s attention minus A&apos;s for one layer and head. Rows are queries (the token attending),
columns keys (attended to). Red: B attends more; blue: less; white: unchanged.
Scroll to zoom, drag to pan; hover a cell for its value.</source>
        <translation>某一层某个头上 B 的注意力减去 A 的注意力。行是查询（发出关注的词元），
列是键（被关注的词元）。红色：B 更关注；蓝色：更少；白色：不变。
滚轮缩放，拖动平移；悬停在单元格上可查看数值。</translation>
    </message>
</context>
<context>
    <name>EmbeddingMapView</name>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="271"/>
        <source>Embedding the examples with the other checkpoint…</source>
        <translation>正在用另一个检查点嵌入这些样本…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="290"/>
        <source>Close comparison</source>
        <translation>关闭对比</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="324"/>
        <source>The hidden layer whose vectors are drawn: 0 is the embeddings, 1 the first layer; negative counts from the top (-1 = the last layer).</source>
        <translation>绘制哪一层隐藏状态的向量：0 为嵌入层，1 为第一层；负数从顶层倒数（-1 = 最后一层）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="328"/>
        <source>CLS token</source>
        <translation>CLS 词元</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="329"/>
        <source>Mean of tokens</source>
        <translation>词元平均</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="330"/>
        <source>One vector per example: the first token&apos;s, or the mean of all its tokens.</source>
        <translation>每个样本一个向量：取第一个词元的向量，或其所有词元的平均。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="332"/>
        <source>PCA</source>
        <translation>PCA</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="333"/>
        <source>UMAP</source>
        <translation>UMAP</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="337"/>
        <source>UMAP needs the umap-learn package: pip install umap-learn</source>
        <translation>UMAP 需要 umap-learn 包：pip install umap-learn</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="339"/>
        <source>Compute</source>
        <translation>计算</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="340"/>
        <source>Embed the evaluated examples with the model and draw them in 2-D.</source>
        <translation>用模型嵌入已评估的样本，并在二维平面上绘制。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="342"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="348"/>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="348"/>
        <source>Pooling</source>
        <translation>池化</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="349"/>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="363"/>
        <source>Colour by</source>
        <translation>着色依据</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="367"/>
        <source>Pan</source>
        <translation>平移</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="367"/>
        <source>Drag to pan, wheel to zoom.</source>
        <translation>拖动以平移，滚轮缩放。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="368"/>
        <source>Box</source>
        <translation>框选</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="368"/>
        <source>Drag a box to select (or Shift+drag in any mode).</source>
        <translation>拖出一个矩形框来选择（任何模式下也可 Shift+拖动）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="369"/>
        <source>Lasso</source>
        <translation>套索</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="369"/>
        <source>Draw around points to select them (or Ctrl+drag in any mode).</source>
        <translation>围绕点画一圈来选择它们（任何模式下也可 Ctrl+拖动）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="380"/>
        <source>Compare with…</source>
        <translation>对比…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="382"/>
        <source>Draw the map of another checkpoint of the same examples beside this one: the run&apos;s base model, or one of its checkpoints (checkpoints/step-N).</source>
        <translation>在旁边绘制同一批样本在另一个检查点上的映射图：该运行的基础模型，或它的某个检查点（checkpoints/step-N）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="388"/>
        <source>Type a sentence…</source>
        <translation>输入一个句子…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="389"/>
        <source>Press Enter: the sentence is placed on the map and its nearest examples listed.</source>
        <translation>按回车：该句子会标在图上，并列出与它最近的样本。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="401"/>
        <source>Save as slice…</source>
        <translation>另存为切片…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="404"/>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="404"/>
        <source>Similarity</source>
        <translation>相似度</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="404"/>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="410"/>
        <source>Nearest examples to the typed sentence</source>
        <translation>与输入句子最近的样本</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="433"/>
        <source>Evaluate a model in the Evaluation tab first.</source>
        <translation>请先在“评估”标签页中评估一个模型。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="435"/>
        <source>Press Compute to draw the {count} evaluated examples.</source>
        <translation>点击“计算”以绘制已评估的 {count} 个样本。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="465"/>
        <source>{model} (loading…)</source>
        <translation>{model}（加载中…）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="491"/>
        <source>Embedding the sentence…</source>
        <translation>正在嵌入句子…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="499"/>
        <source>Save as slice</source>
        <translation>另存为切片</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="499"/>
        <source>Name of the slice:</source>
        <translation>切片名称：</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="500"/>
        <source>map selection {n}</source>
        <translation>映射图选区 {n}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="531"/>
        <source>Embedding {count} examples…</source>
        <translation>正在嵌入 {count} 个样本…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="543"/>
        <source>{count} example drawn.</source>
        <translation>已绘制 {count} 个样本。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="544"/>
        <source>{count} examples drawn.</source>
        <translation>已绘制 {count} 个样本。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="553"/>
        <source>{model} drawn beside.</source>
        <translation>已在旁边绘制 {model}。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="575"/>
        <source>The star is the typed sentence; its nearest examples are listed below.</source>
        <translation>星形标记是输入的句子；与它最近的样本列在下方。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="596"/>
        <source>Choose another checkpoint of the same run</source>
        <translation>选择同一运行的另一个检查点</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="624"/>
        <source>1 example selected</source>
        <translation>已选中 1 个样本</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="626"/>
        <source>{count} examples selected</source>
        <translation>已选择 {count} 个样本</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="622"/>
        <source>Select examples with a box (Shift+drag) or a lasso (Ctrl+drag); Esc lets go.</source>
        <translation>用矩形框（Shift+拖动）或套索（Ctrl+拖动）选择样本；按 Esc 取消选择。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="649"/>
        <source>Gold label</source>
        <translation>真实标签</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="649"/>
        <source>Predicted label</source>
        <translation>预测标签</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="650"/>
        <source>Correct or not</source>
        <translation>是否正确</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="650"/>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="651"/>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="651"/>
        <source>Sentence score</source>
        <translation>句子得分</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="651"/>
        <source>Text length</source>
        <translation>文本长度</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="654"/>
        <source>Slice: {name}</source>
        <translation>切片：{name}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="682"/>
        <source>not in {name}</source>
        <translation>不在 {name} 中</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="684"/>
        <source>correct</source>
        <translation>正确</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="684"/>
        <source>wrong</source>
        <translation>错误</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="713"/>
        <source>{low} (dark) to {high} (yellow)</source>
        <translation>{low}（深色）到 {high}（黄色）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="727"/>
        <source>{model} {method}: the axes explain {x} and {y} of the variance</source>
        <translation>{model} {method}：两个坐标轴分别解释了 {x} 和 {y} 的方差</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="748"/>
        <source>No map yet.
Evaluate a model in the Evaluation tab, then press Compute here: its examples are drawn as points in 2-D, coloured by what the model got right.</source>
        <translation>还没有映射图。
请先在“评估”页评估一个模型，再在这里点击“计算”：其样本会画成二维平面上的点，并按模型是否预测正确着色。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="751"/>
        <source>Embedding the {count} examples… the map appears here when they are done.</source>
        <translation>正在嵌入 {count} 个样本…完成后映射图会显示在这里。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="753"/>
        <source>No map yet.
Press Compute to draw the {count} evaluated examples in 2-D (choose the layer, pooling and method first).</source>
        <translation>还没有映射图。
点击“计算”，把已评估的 {count} 个样本画到二维平面上（可先选择层、池化方式和降维方法）。</translation>
    </message>
</context>
<context>
    <name>EvaluationPanel</name>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="104"/>
        <source>Labelled data (*.csv *.tsv *.jsonl *.json *.conll *.conllu *.txt);;All files (*)</source>
        <translation>带标签的数据 (*.csv *.tsv *.jsonl *.json *.conll *.conllu *.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="192"/>
        <source>Loading {spec}…</source>
        <translation>正在加载 {spec}…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="203"/>
        <source>Reading {file}…</source>
        <translation>正在读取 {file}…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="197"/>
        <source>this is a {task} model; the evaluation panel shows classification and token-classification results. Use `workbench eval` for loss and perplexity (language models) or exact match and F1 (question answering; the Prediction tab has its playground).</source>
        <translation>这是一个 {task} 模型；评估面板只显示分类和词元分类的结果。语言模型的损失和困惑度，或问答的完全匹配率和 F1 值，请使用 `workbench eval`（问答在“预测”标签页中有自己的试验场）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="213"/>
        <source>no label column found; evaluation needs labels (choose a labelled file).</source>
        <translation>未找到标签列；评估需要标签（请选择带标签的文件）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="220"/>
        <source>Encoding {count} examples…</source>
        <translation>正在编码 {count} 个样本…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="221"/>
        <source>Evaluating…</source>
        <translation>评估中…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="237"/>
        <source>Scoring each output and the confidence intervals…</source>
        <translation>正在为每条输出打分并计算置信区间…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="349"/>
        <source>Choose a model first: a run folder, a model folder or a hub id.</source>
        <translation>请先选择模型：运行文件夹、模型文件夹或 Hub ID。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="352"/>
        <source>Choose a labelled data file to evaluate on (Browse…).</source>
        <translation>请选择用于评估的带标签数据文件（浏览…）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="356"/>
        <source>{file} is not a file. Choose a labelled data file (Browse…).</source>
        <translation>{file} 不是文件。请选择带标签的数据文件（浏览…）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="363"/>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="387"/>
        <source>Evaluation cancelled.</source>
        <translation>评估已取消。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="442"/>
        <source>Run folder, model folder or hub id</source>
        <translation>运行文件夹、模型文件夹或 Hub ID</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="444"/>
        <source>The model to evaluate: a workbench run folder, a Hugging Face model folder or a hub id. A run folder also fills in its validation file.</source>
        <translation>要评估的模型：workbench 运行文件夹、Hugging Face 模型文件夹或 Hub ID。选择运行文件夹时还会自动填入它的验证文件。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="447"/>
        <source>Load…</source>
        <translation>加载…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="448"/>
        <source>Choose a run folder or a model folder on disk.</source>
        <translation>在磁盘上选择运行文件夹或模型文件夹。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="451"/>
        <source>Labelled file (CSV, TSV, JSONL, CoNLL…) in the training format</source>
        <translation>与训练数据格式相同的带标签文件（CSV、TSV、JSONL、CoNLL…）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="454"/>
        <source>The labelled file to evaluate on, in the same format as the training data. Its labels must be among the model&apos;s labels.</source>
        <translation>用于评估的带标签文件，格式与训练数据相同。其中的标签必须都在模型的标签之内。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="457"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="458"/>
        <source>Choose the labelled data file.</source>
        <translation>选择带标签的数据文件。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="459"/>
        <source>Held-out split only</source>
        <translation>仅留出部分</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="462"/>
        <source>Evaluate only the examples the run held out of this file for validation, not the ones the model trained on.</source>
        <translation>只评估该运行从此文件中留出用于验证的样本，不包括模型训练过的样本。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="466"/>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="467"/>
        <source>Evaluate the model on the file (Ctrl+E).</source>
        <translation>在该文件上评估模型（Ctrl+E）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="469"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="470"/>
        <source>Stop the running evaluation (it stops at the next batch).</source>
        <translation>停止正在进行的评估（在下一个批次处停止）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="472"/>
        <source>Examples evaluated so far.</source>
        <translation>目前已评估的样本数。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="476"/>
        <source>What the evaluation is doing, or what it found.</source>
        <translation>评估正在做什么，或者它得出了什么结果。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="481"/>
        <source>Predictions CSV…</source>
        <translation>预测结果 CSV…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="484"/>
        <source>Save every example with its label, prediction, confidence, loss and class probabilities.</source>
        <translation>保存每个样本及其标签、预测、置信度、损失和各类别概率。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="487"/>
        <source>Report JSON…</source>
        <translation>报告 JSON…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="489"/>
        <source>Save the metrics (the same as `workbench eval --json`) and the worst mistakes as JSON.</source>
        <translation>将指标（与 `workbench eval --json` 相同）和最严重的错误保存为 JSON。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="491"/>
        <source>Report HTML…</source>
        <translation>报告 HTML…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="493"/>
        <source>Save a self-contained web page with the metrics, the confusion matrix and the worst mistakes.</source>
        <translation>保存一个独立的网页，包含指标、混淆矩阵和最严重的错误。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="497"/>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="503"/>
        <source>Data:</source>
        <translation>数据：</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="515"/>
        <source>Export:</source>
        <translation>导出：</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="516"/>
        <source>Save the results of the last evaluation.</source>
        <translation>保存上一次评估的结果。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="525"/>
        <source>What went wrong and what to do. The panel stays usable.</source>
        <translation>出了什么问题以及该怎么办。面板仍可继续使用。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="531"/>
        <source>Precision</source>
        <translation>精确率</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="531"/>
        <source>Recall</source>
        <translation>召回率</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="531"/>
        <source>F1</source>
        <translation>F1 值</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="531"/>
        <source>Support</source>
        <translation>样本数</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="538"/>
        <source>Accuracy, precision, recall and F1 averaged over classes (macro: every class counts the same; weighted: by support), then per class. Support = examples of that class.</source>
        <translation>准确率，以及对各类别取平均的精确率、召回率和 F1 值（宏平均：每个类别权重相同；加权平均：按样本数加权），然后是各类别的值。样本数 = 该类别的样本数量。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="553"/>
        <source>Where the confusion matrix appears after an evaluation.</source>
        <translation>评估后混淆矩阵显示在这里。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="570"/>
        <source>Every example with the model&apos;s prediction; mistakes are shaded. Click a header to sort (Correct ascending = most confident mistakes first). Double-click or Enter opens an example in the prediction panel.</source>
        <translation>每个样本及模型的预测；错误的行带底色。点击表头排序（“正确”升序 = 置信度最高的错误在前）。双击或按 Enter 在预测面板中打开样本。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="591"/>
        <source>Which examples the table lists.</source>
        <translation>表格列出的是哪些样本。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="593"/>
        <source>Show all</source>
        <translation>显示全部</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="595"/>
        <source>List every example again (clear the confusion-matrix cell filter).</source>
        <translation>重新列出所有样本（清除混淆矩阵单元格筛选）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="597"/>
        <source>Open in prediction</source>
        <translation>在预测中打开</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="599"/>
        <source>Open the selected example in the prediction panel (or double-click it, or press Enter).</source>
        <translation>在预测面板中打开所选样本（也可以双击或按 Enter）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="708"/>
        <source>Choose a run folder or a model folder</source>
        <translation>选择运行文件夹或模型文件夹</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="718"/>
        <source>Choose a labelled data file</source>
        <translation>选择带标签的数据文件</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="731"/>
        <source>{text} {done} / {total} examples</source>
        <translation>{text} {done} / {total} 个样本</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="749"/>
        <source>Evaluation failed.</source>
        <translation>评估失败。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="750"/>
        <source>Evaluation failed: see the message above.</source>
        <translation>评估失败：请查看上方的消息。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="779"/>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="782"/>
        <source>Could not export.</source>
        <translation>无法导出。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="798"/>
        <source>Export predictions as CSV</source>
        <translation>将预测结果导出为 CSV</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="798"/>
        <source>CSV file (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="801"/>
        <source>Export the report as JSON</source>
        <translation>将报告导出为 JSON</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="801"/>
        <source>JSON file (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="804"/>
        <source>Export the report as HTML</source>
        <translation>将报告导出为 HTML</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="804"/>
        <source>Web page (*.html)</source>
        <translation>网页 (*.html)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="813"/>
        <source>Saving {path}…</source>
        <translation>正在保存 {path}…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="853"/>
        <source>The run held {share} of this file out of training (seed {seed}) and validated on it: evaluate exactly those examples. Unchecked: the whole file, including the examples the model trained on, which overstates its accuracy.</source>
        <translation>该运行从此文件中留出了 {share} 不参与训练（种子 {seed}），并在其上验证：勾选时只评估这些样本。不勾选：评估整个文件，包括模型训练过的样本，这会高估其准确率。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="876"/>
        <source>Choose a model and a labelled file, then Evaluate (Ctrl+E).</source>
        <translation>请选择模型和带标签的文件，然后点击“评估”（Ctrl+E）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="879"/>
        <source>Choose a labelled file to evaluate on, then Evaluate (Ctrl+E).</source>
        <translation>请选择用于评估的带标签文件，然后点击“评估”（Ctrl+E）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="883"/>
        <source>Ready (the held-out split of {file} the run validated on: {share}, seed {seed}): press Evaluate (Ctrl+E).</source>
        <translation>就绪（该运行用于验证的 {file} 留出部分：{share}，种子 {seed}）：请点击“评估”（Ctrl+E）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="891"/>
        <source>Ready (all of {file}, with the examples the model trained on: its accuracy will look better than it is): press Evaluate (Ctrl+E).</source>
        <translation>就绪（{file} 的全部样本，包括模型训练过的：准确率会显得比实际更高）：请点击“评估”（Ctrl+E）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="895"/>
        <source>Ready (the run&apos;s validation file): press Evaluate (Ctrl+E).</source>
        <translation>就绪（该运行的验证文件）：请点击“评估”（Ctrl+E）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="897"/>
        <source>Ready: press Evaluate (Ctrl+E).</source>
        <translation>就绪：请点击“评估”（Ctrl+E）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="908"/>
        <source>Evaluate a model to see its confusion matrix here.</source>
        <translation>评估一个模型后，它的混淆矩阵会显示在这里。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="922"/>
        <source>No confusion matrix for multi-label classification: each label is its own yes/no decision. See the per-label scores on the left and the examples below (those whose label set is wrong first).</source>
        <translation>多标签分类没有混淆矩阵：每个标签都是独立的是/否判断。请查看左侧各标签的得分和下方的样本（标签集合错误的排在前面）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="930"/>
        <source>No confusion matrix for token classification: a sentence has many tags, and entities are scored by type, start and end together. See the per-type scores on the left and the sentences below (those with wrong tags first).</source>
        <translation>词元分类没有混淆矩阵：一个句子有多个标注，实体按类型、起点和终点一起评分。请查看左侧各类型的得分和下方的句子（有错误标注的排在前面）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="944"/>
        <source>micro F1 {value}</source>
        <translation>微平均 F1 值 {value}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="946"/>
        <source>token accuracy {value}</source>
        <translation>词元准确率 {value}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="946"/>
        <source>accuracy {value}</source>
        <translation>准确率 {value}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="950"/>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="973"/>
        <source>the held-out split of {file}</source>
        <translation>{file} 的留出部分</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="952"/>
        <source>Evaluated {count} sentences of {file} in {seconds} s</source>
        <translation>已评估 {file} 中的 {count} 个句子，用时 {seconds} 秒</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="953"/>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="974"/>
        <source>Evaluated {count} examples of {file} in {seconds} s</source>
        <translation>已评估 {file} 中的 {count} 个样本，用时 {seconds} 秒</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="957"/>
        <source>Note: {note}</source>
        <translation>注：{note}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1043"/>
        <source>The examples appear here after an evaluation.</source>
        <translation>评估后样本会显示在这里。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1049"/>
        <source>All {total} sentences · {wrong} with a wrong tag · the most wrong tags first</source>
        <translation>全部 {total} 个句子 · {wrong} 个有错误标注 · 错误标注最多的在前</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1054"/>
        <source>All {total} examples · {wrong} wrong · most confident mistakes first</source>
        <translation>全部 {total} 个样本 · {wrong} 个错误 · 置信度最高的错误在前</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1061"/>
        <source>right</source>
        <translation>正确</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1061"/>
        <source>wrong</source>
        <translation>错误</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1064"/>
        <source>{count} example with label {label} predicted {predicted} ({verdict}) · of {total}</source>
        <translation>{count} 个标签为 {label}、预测为 {predicted} 的样本（{verdict}）· 共 {total} 个</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1068"/>
        <source>{count} examples with label {label} predicted {predicted} ({verdict}) · of {total}</source>
        <translation>{count} 个标签为 {label}、预测为 {predicted} 的样本（{verdict}）· 共 {total} 个</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1148"/>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1152"/>
        <source>Share of examples predicted right.</source>
        <translation>预测正确的样本所占比例。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1155"/>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1229"/>
        <source>Macro average</source>
        <translation>宏平均</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1158"/>
        <source>Mean over classes: every class counts the same, however rare.</source>
        <translation>各类别的平均值：每个类别的权重相同，无论多么少见。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1161"/>
        <source>Weighted average</source>
        <translation>加权平均</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1164"/>
        <source>Mean over classes weighted by their support (the number of true examples).</source>
        <translation>按样本数（真实样本数量）加权的各类别平均值。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1168"/>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1210"/>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1249"/>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1169"/>
        <source>Mean cross-entropy of the true labels.</source>
        <translation>真实标签的平均交叉熵。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1173"/>
        <source>Per class</source>
        <translation>各类别</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1180"/>
        <source>{name}: precision = right among predicted {name}; recall = found among true {name}; support = {support} true examples.</source>
        <translation>{name}：精确率 = 预测为 {name} 的样本中正确的比例；召回率 = 真实为 {name} 的样本中被找出的比例；样本数 = {support} 个真实样本。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1188"/>
        <source>Token accuracy</source>
        <translation>词元准确率</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1192"/>
        <source>Share of words whose tag is right (support: words).</source>
        <translation>标注正确的词所占比例（样本数：词数）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1198"/>
        <source>Entities (micro)</source>
        <translation>实体（微平均）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1206"/>
        <source>An entity is right only if its type, start and end all match (conlleval).</source>
        <translation>只有类型、起点和终点都一致时实体才算正确（conlleval）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1210"/>
        <source>Mean cross-entropy per word.</source>
        <translation>每个词的平均交叉熵。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1213"/>
        <source>Per entity type</source>
        <translation>各实体类型</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1219"/>
        <source>{name} entities: support = {support} true entities.</source>
        <translation>{name} 实体：样本数 = {support} 个真实实体。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1227"/>
        <source>Micro average</source>
        <translation>微平均</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1228"/>
        <source>Every (example, label) decision pooled: frequent labels weigh more.</source>
        <translation>把所有（样本，标签）判断汇总计算：常见标签权重更大。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1230"/>
        <source>Mean over labels: every label counts the same, however rare.</source>
        <translation>各标签的平均值：每个标签的权重相同，无论多么少见。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1240"/>
        <source>Subset accuracy</source>
        <translation>子集准确率</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1241"/>
        <source>Share of examples whose whole label set is right (exact match).</source>
        <translation>整个标签集合都正确的样本所占比例（完全匹配）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1244"/>
        <source>Hamming loss</source>
        <translation>汉明损失</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1245"/>
        <source>Share of wrong yes/no decisions over all examples and labels (lower is better).</source>
        <translation>在所有样本和标签上错误的是/否判断所占比例（越低越好）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1250"/>
        <source>Mean binary cross-entropy per label.</source>
        <translation>每个标签的平均二元交叉熵。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1254"/>
        <source>Per label</source>
        <translation>各标签</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1263"/>
        <source>{name}: chosen when its probability reaches its threshold {threshold}; support = {support} examples that have it.</source>
        <translation>{name}：概率达到其阈值 {threshold} 时选中；样本数 = {support} 个带有该标签的样本。</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../workbench/gui/dialogs/export_dialog.py" line="55"/>
        <source>Export model</source>
        <translation>导出模型</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/export_dialog.py" line="67"/>
        <source>A run folder or a model folder</source>
        <translation>运行文件夹或模型文件夹</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/export_dialog.py" line="69"/>
        <location filename="../../workbench/gui/dialogs/export_dialog.py" line="73"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/export_dialog.py" line="75"/>
        <source>ONNX (dynamic batch and sequence axes), with the tokenizer</source>
        <translation>ONNX（批次轴和序列轴可变），附带分词器</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/export_dialog.py" line="76"/>
        <source>Also write an int8 model (dynamic quantisation) and measure its accuracy change and speed-up</source>
        <translation>同时写出 int8 模型（动态量化），并测量其准确率变化和加速比</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/export_dialog.py" line="79"/>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/export_dialog.py" line="80"/>
        <source>Output folder:</source>
        <translation>输出文件夹：</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/export_dialog.py" line="81"/>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/export_dialog.py" line="86"/>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/export_dialog.py" line="87"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/export_dialog.py" line="88"/>
        <source>Stop the export at its next stage</source>
        <translation>在下一个阶段停止导出</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/export_dialog.py" line="108"/>
        <source>Choose the model to export and the folder to write it into.</source>
        <translation>请选择要导出的模型和写入的文件夹。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/export_dialog.py" line="114"/>
        <source>Loading {spec}…</source>
        <translation>正在加载 {spec}…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/export_dialog.py" line="124"/>
        <source>Export cancelled; the files written so far stay.</source>
        <translation>导出已取消；已写出的文件会保留。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/export_dialog.py" line="142"/>
        <source>Exported to {out}; ONNX Runtime matches PyTorch.</source>
        <translation>已导出到 {out}；ONNX Runtime 与 PyTorch 的结果一致。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/export_dialog.py" line="145"/>
        <source>Exported to {out}, but ONNX Runtime differs from PyTorch by {diff:.1e}: look before deploying it.</source>
        <translation>已导出到 {out}，但 ONNX Runtime 与 PyTorch 相差 {diff:.1e}：部署前请先检查。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/export_dialog.py" line="151"/>
        <source>The export failed:</source>
        <translation>导出失败：</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/export_dialog.py" line="166"/>
        <source>Choose a run folder or a model folder</source>
        <translation>选择运行文件夹或模型文件夹</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/export_dialog.py" line="172"/>
        <source>Choose the folder to write the model into</source>
        <translation>选择写入模型的文件夹</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/export_dialog.py" line="180"/>
        <source>Loading the model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/export_dialog.py" line="181"/>
        <source>Exporting the graph (up to a minute for a large model)…</source>
        <translation>正在导出计算图（大模型最多需要一分钟）…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/export_dialog.py" line="182"/>
        <source>Comparing ONNX Runtime with PyTorch on sample inputs…</source>
        <translation>正在用样例输入比较 ONNX Runtime 与 PyTorch…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/export_dialog.py" line="183"/>
        <source>Quantising to int8…</source>
        <translation>正在量化为 int8…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/export_dialog.py" line="184"/>
        <source>Evaluating the fp32 and int8 graphs on the held-out data…</source>
        <translation>正在用留出数据评估 fp32 和 int8 计算图…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/export_dialog.py" line="185"/>
        <source>Timing the fp32 and int8 graphs…</source>
        <translation>正在为 fp32 和 int8 计算图计时…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/export_dialog.py" line="187"/>
        <source>Step {step} of {steps}: {stage}</source>
        <translation>第 {step} 步，共 {steps} 步：{stage}</translation>
    </message>
</context>
<context>
    <name>GenerationControls</name>
    <message>
        <location filename="../../workbench/gui/widgets/generation_view.py" line="163"/>
        <source>Stopped on request after {tokens} new tokens.</source>
        <translation>已按请求在生成 {tokens} 个新词元后停止。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/generation_view.py" line="165"/>
        <source>Stopped after {tokens} tokens.</source>
        <translation>已在 {tokens} 个词元后停止。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/generation_view.py" line="180"/>
        <source>0 (greedy)</source>
        <translation>0（贪心）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/generation_view.py" line="177"/>
        <source>How adventurous the choice of each next token is. 0 = greedy: always the most likely token, the same text every time. 0.7-1.0 gives varied text; towards 2 it turns to noise. (Alt+T)</source>
        <translation>选择下一个词元时有多大胆。0 = 贪心：总是选最可能的词元，每次生成相同的文本。0.7–1.0 生成的文本富于变化；接近 2 时会变成乱码。（Alt+T）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/generation_view.py" line="185"/>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/generation_view.py" line="182"/>
        <source>Sample only among the k most likely next tokens; off = among all of them. No effect at temperature 0. (Alt+K)</source>
        <translation>只在最可能的 k 个下一个词元中采样；关闭 = 在全部词元中采样。温度为 0 时无效。（Alt+K）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/generation_view.py" line="187"/>
        <source>Nucleus sampling: sample only among the most likely tokens whose probabilities add up to this much; 1.00 = off. No effect at temperature 0. (Alt+P)</source>
        <translation>核采样：只在累计概率达到该值的最可能词元中采样；1.00 = 关闭。温度为 0 时无效。（Alt+P）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/generation_view.py" line="194"/>
        <source>random</source>
        <translation>随机</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/generation_view.py" line="191"/>
        <source>The random seed for sampling: the same prompt, settings and seed give the same text. random = a new seed each time (shown below after a generation, to type back in). (Alt+E)</source>
        <translation>采样用的随机种子：相同的提示、设置和种子会生成相同的文本。随机 = 每次使用新种子（生成后显示在下方，可再填回来）。（Alt+E）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/generation_view.py" line="195"/>
        <source>Stop generating now; the text so far is kept (Esc).</source>
        <translation>立即停止生成；已生成的文本会保留（Esc）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/generation_view.py" line="196"/>
        <source>Tokens generated, speed, and why the generation ended.</source>
        <translation>已生成的词元数、速度以及生成结束的原因。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/generation_view.py" line="198"/>
        <source>&amp;Temperature</source>
        <translation>温度(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/generation_view.py" line="199"/>
        <source>Top-&amp;k</source>
        <translation>Top-&amp;k</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/generation_view.py" line="200"/>
        <source>Top-&amp;p</source>
        <translation>Top-&amp;p</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/generation_view.py" line="201"/>
        <source>S&amp;eed</source>
        <translation>种子(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/generation_view.py" line="252"/>
        <source>generating… {tokens} tokens</source>
        <translation>生成中… {tokens} 个词元</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/generation_view.py" line="260"/>
        <source>{tokens} tokens in {seconds} s</source>
        <translation>{seconds} 秒内生成 {tokens} 个词元</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/generation_view.py" line="265"/>
        <source>{rate} tokens/s</source>
        <translation>{rate} 词元/秒</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/generation_view.py" line="267"/>
        <source>seed {seed}</source>
        <translation>种子 {seed}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/generation_view.py" line="270"/>
        <source>ended at end-of-text</source>
        <translation>在文本结束符处结束</translation>
    </message>
</context>
<context>
    <name>HeadGrid</name>
    <message>
        <location filename="../../workbench/gui/widgets/heatmap.py" line="398"/>
        <source>Every head of this layer. Click a head to show it large.</source>
        <translation>本层的所有注意力头。点击某个头可放大显示。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/heatmap.py" line="423"/>
        <location filename="../../workbench/gui/widgets/heatmap.py" line="451"/>
        <source>head {head}</source>
        <translation>头 {head}</translation>
    </message>
</context>
<context>
    <name>HeadStatsView</name>
    <message>
        <location filename="../../workbench/gui/widgets/head_stats_view.py" line="31"/>
        <source>entropy (nats)</source>
        <translation>熵（奈特）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/head_stats_view.py" line="32"/>
        <source>Mean entropy of the head&apos;s rows: high = attends diffusely.</source>
        <translation>该头各行的平均熵：越高表示注意力越分散。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/head_stats_view.py" line="38"/>
        <source>→ special</source>
        <translation>→ 特殊词元</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/head_stats_view.py" line="39"/>
        <source>Mean share of attention on special tokens ([CLS], [SEP], &lt;s&gt; …).</source>
        <translation>落在特殊词元（[CLS]、[SEP]、&lt;s&gt; …）上的平均注意力比例。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/head_stats_view.py" line="45"/>
        <source>→ punctuation</source>
        <translation>→ 标点</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/head_stats_view.py" line="46"/>
        <source>Mean share of attention on punctuation tokens.</source>
        <translation>落在标点词元上的平均注意力比例。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/head_stats_view.py" line="50"/>
        <source>→ previous</source>
        <translation>→ 前一个</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/head_stats_view.py" line="51"/>
        <source>Mean weight on the token just before the query.</source>
        <translation>查询词元前一个词元上的平均权重。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/head_stats_view.py" line="55"/>
        <source>→ next</source>
        <translation>→ 后一个</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/head_stats_view.py" line="56"/>
        <source>Mean weight on the token just after the query.</source>
        <translation>查询词元后一个词元上的平均权重。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/head_stats_view.py" line="60"/>
        <source>layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/head_stats_view.py" line="61"/>
        <source>head</source>
        <translation>头</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/head_stats_view.py" line="69"/>
        <source>One row per head. &lt;b&gt;entropy&lt;/b&gt;: how spread out its attention is (0 = always one token, log T = uniform; orange = diffuse). &lt;b&gt;→ special / punctuation&lt;/b&gt;: share of attention on special tokens or punctuation (often a “no-op” target). &lt;b&gt;→ previous / next&lt;/b&gt;: weight on the neighbouring token (blue near 1 = a positional head). Click a header to sort; double-click a row to show that head.</source>
        <translation>每个注意力头一行。&lt;b&gt;熵&lt;/b&gt;：注意力有多分散（0 = 始终只看一个词元，log T = 均匀分布；橙色 = 分散）。&lt;b&gt;→ 特殊词元 / 标点&lt;/b&gt;：落在特殊词元或标点上的注意力比例（常是“空操作”的去处）。&lt;b&gt;→ 前一个 / 后一个&lt;/b&gt;：落在相邻词元上的权重（接近 1 的蓝色 = 位置头）。点击表头排序；双击某行显示该头。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/head_stats_view.py" line="120"/>
        <source>Double-click a row to show that head in the Heatmap tab.</source>
        <translation>双击某行，在“热力图”标签页中显示该头。</translation>
    </message>
</context>
<context>
    <name>HeadView</name>
    <message>
        <location filename="../../workbench/gui/widgets/head_view.py" line="228"/>
        <source>Which layer and head these links show.</source>
        <translation>这些连线显示的是哪一层、哪个头。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/head_view.py" line="233"/>
        <source>min weight </source>
        <translation>最小权重 </translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/head_view.py" line="235"/>
        <source>Draw only links with at least this attention weight (0 = no minimum).</source>
        <translation>只画注意力权重不低于该值的连线（0 = 不设下限）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/head_view.py" line="240"/>
        <location filename="../../workbench/gui/widgets/head_view.py" line="381"/>
        <source>all links</source>
        <translation>全部连线</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/head_view.py" line="241"/>
        <source>top </source>
        <translation>每个词元前 </translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/head_view.py" line="242"/>
        <source> per token</source>
        <translation> 条</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/head_view.py" line="245"/>
        <source>Draw only the strongest links of each query token (&apos;all links&apos; draws every one; on long inputs that is slow and unreadable).</source>
        <translation>只画每个查询词元最强的几条连线（“全部连线”会画出每一条；输入较长时既慢又难以辨认）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/head_view.py" line="256"/>
        <source>query (attending)</source>
        <translation>查询（发出关注）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/head_view.py" line="257"/>
        <source>key (attended to)</source>
        <translation>键（被关注）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/head_view.py" line="262"/>
        <source>Hover a token to isolate its links and see its strongest weights.</source>
        <translation>悬停在词元上可单独显示它的连线并查看最强的权重。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/head_view.py" line="272"/>
        <source>Each line joins a query token (left) to a key token (right); stronger attention is darker and thicker. Hover a token to show only its links.</source>
        <translation>每条线连接一个查询词元（左）和一个键词元（右）；注意力越强，线越深越粗。悬停在词元上只显示它的连线。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/head_view.py" line="293"/>
        <source>The hovered token&apos;s strongest attention weights.</source>
        <translation>悬停词元的最强注意力权重。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/head_view.py" line="379"/>
        <source>top {k} per token</source>
        <translation>每个词元前 {k} 条</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/head_view.py" line="384"/>
        <source>, weight ≥ {weight}</source>
        <translation>，权重 ≥ {weight}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/head_view.py" line="387"/>
        <source>{tokens} tokens · {links} links ({limit}) · hover a token to isolate its links</source>
        <translation>{tokens} 个词元 · {links} 条连线（{limit}）· 悬停在词元上可单独显示它的连线</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/head_view.py" line="399"/>
        <source>{token} (query {index}) attends most to: {weights}</source>
        <translation>{token}（查询 {index}）最关注：{weights}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/head_view.py" line="401"/>
        <source>{token} (key {index}) is attended most by: {weights}</source>
        <translation>{token}（键 {index}）最受关注于：{weights}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/head_view.py" line="443"/>
        <source>No attention to show yet.</source>
        <translation>尚无可显示的注意力。</translation>
    </message>
</context>
<context>
    <name>LabelBarChart</name>
    <message>
        <location filename="../../workbench/gui/widgets/charts.py" line="72"/>
        <source>other ({count} labels)</source>
        <translation>其他（{count} 个标签）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/charts.py" line="223"/>
        <source>Examples per label: training split, with the validation examples stacked on top</source>
        <translation>每个标签的样本数：训练集，验证集样本叠加在上方</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/charts.py" line="235"/>
        <source>examples</source>
        <translation>样本数</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/charts.py" line="272"/>
        <source>Label distribution</source>
        <translation>标签分布</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/charts.py" line="294"/>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/charts.py" line="294"/>
        <source>validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/charts.py" line="301"/>
        <source>No labels to show</source>
        <translation>没有可显示的标签</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/charts.py" line="335"/>
        <source>{label}: {count} examples</source>
        <translation>{label}：{count} 个样本</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/charts.py" line="339"/>
        <source>({train} train, {validation} validation)</source>
        <translation>（训练 {train}，验证 {validation}）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/charts.py" line="344"/>
        <source>The {top} largest labels have bars of their own; this one sums the rest.</source>
        <translation>最大的 {top} 个标签各有一根柱子；这一根汇总其余标签。</translation>
    </message>
</context>
<context>
    <name>LabelErrorsView</name>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="205"/>
        <source>the labelled training data (CSV, TSV, JSONL, Parquet, Arrow or Excel)</source>
        <translation>带标签的训练数据（CSV、TSV、JSONL、Parquet、Arrow 或 Excel）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="207"/>
        <source>default: the installed pre-trained checkpoint</source>
        <translation>默认：已安装的预训练检查点</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="213"/>
        <source>optional: a validation file, to check for leakage</source>
        <translation>可选：验证文件，用于检查数据泄漏</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="217"/>
        <source>The model is fine-tuned once per fold, on all other rows.</source>
        <translation>每一折微调一次模型，使用其余所有行训练。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="237"/>
        <source>Training data:</source>
        <translation>训练数据：</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="238"/>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="239"/>
        <source>Validation data:</source>
        <translation>验证数据：</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="243"/>
        <source>Folds:</source>
        <translation>折数：</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="240"/>
        <source>Repeats:</source>
        <translation>重复次数：</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="241"/>
        <source>Epochs per fold:</source>
        <translation>每折轮数：</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="245"/>
        <source>Find label errors</source>
        <translation>查找标签错误</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="247"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="251"/>
        <source>Finds rows whose label the model, trained without them, doubts.</source>
        <translation>查找那些未用其训练的模型对其标签存疑的行。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="274"/>
        <source>Label issues</source>
        <translation>标签问题</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="275"/>
        <source>Duplicates</source>
        <translation>重复项</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="276"/>
        <source>Leakage</source>
        <translation>数据泄漏</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="279"/>
        <source>Select confident</source>
        <translation>选中高置信行</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="222"/>
        <source>Run the folds this many times, each with another split and seed, and average what they predict: a steadier ranking, and Select confident keeps only what every repeat is sure of, for that many times the time.</source>
        <translation>将各折运行这么多次，每次使用不同的划分和随机种子，并对预测取平均：排序更稳定，“选中高置信行”也只保留每次重复都有把握的行，耗时则成倍增加。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="281"/>
        <source>Selects the rows whose suggested label the fold models of every repeat gave at least this probability; then R relabels or D drops them. Many flagged rows are hard rows the models got wrong, not wrong labels: cleaning all of them can cost accuracy.</source>
        <translation>选中每次重复的各折模型给建议标签的概率都不低于此值的行；然后按 R 改标或按 D 删除。许多被标记的行是模型判错的难例，而非标错的标签：全部清理反而可能降低准确率。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="294"/>
        <source>Keep (K)</source>
        <translation>保留 (K)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="295"/>
        <source>Relabel (R)</source>
        <translation>改标 (R)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="296"/>
        <source>Drop (D)</source>
        <translation>删除 (D)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="301"/>
        <source>Save cleaned data</source>
        <translation>保存清洗后的数据</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="302"/>
        <source>Writes a new file beside the original (NAME.cleaned.EXT); the original is never changed.</source>
        <translation>在原文件旁写入新文件（NAME.cleaned.EXT）；原文件不会被修改。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="305"/>
        <source>Train on it</source>
        <translation>用它训练</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="319"/>
        <source>Group</source>
        <translation>组</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="319"/>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="90"/>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="319"/>
        <source>Line</source>
        <translation>行</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="90"/>
        <source>Rank</source>
        <translation>排名</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="91"/>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="319"/>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="91"/>
        <source>Given</source>
        <translation>给定标签</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="92"/>
        <source>Suggested</source>
        <translation>建议标签</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="92"/>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="93"/>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="93"/>
        <source>Decision</source>
        <translation>处理</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="108"/>
        <source>The probability the fold models gave the suggested label; with repeats, the lowest any repeat gave it.</source>
        <translation>各折模型给建议标签的概率；有重复时，取各次重复中的最低值。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="110"/>
        <source>Label quality from 0 to 1: the lower, the more likely the given label is wrong. The table is ranked by it.</source>
        <translation>标签质量，取值 0 到 1：越低，给定标签越可能有错。表格按它排序。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="118"/>
        <source>relabel to {label}</source>
        <translation>改标为 {label}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="120"/>
        <source>drop</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="121"/>
        <source>keep</source>
        <translation>保留</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="209"/>
        <source>The checkpoint each fold fine-tunes: a preset, a model folder or a hub id. A stronger one finds more of the wrong labels, because it makes fewer confident mistakes of its own, and those look like wrong labels. Not a run trained on this file: its weights have seen every row a fold holds out.</source>
        <translation>每一折微调的检查点：预设、模型文件夹或 Hub ID。更强的模型能找出更多错误标签，因为它自己有把握的错误更少，而这些错误看起来就像错误标签。不要用在此文件上训练过的运行：它的权重见过每一折留出的每一行。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="230"/>
        <source>Passes over each fold&apos;s training rows: a short schedule. At least {steps} steps, so the folds of a small file still learn.</source>
        <translation>每折训练数据的遍历轮数：一个短的训练计划。至少 {steps} 步，这样小文件的各折也能学到东西。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="232"/>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="234"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="233"/>
        <source>Choose the labelled training data</source>
        <translation>选择带标签的训练数据</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="236"/>
        <source>Choose a validation file</source>
        <translation>选择验证文件</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="267"/>
        <source>K: keep, R: relabel to the suggestion, D: drop. Double-click or Enter: open the row in the Prediction tab with the evaluated model.</source>
        <translation>K：保留，R：改为建议标签，D：删除。双击或按 Enter：用已评估的模型在“预测”页打开该行。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="345"/>
        <source>Evaluate a model in the Evaluation tab to open a row in the Prediction tab.</source>
        <translation>请先在“评估”页评估一个模型，才能在“预测”页打开一行。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="369"/>
        <source>Choose a labelled training file first.</source>
        <translation>请先选择带标签的训练文件。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="376"/>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="387"/>
        <source>Search cancelled.</source>
        <translation>查找已取消。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="395"/>
        <source>Fold {fold} of {folds}: training, step {done} of {total}</source>
        <translation>第 {fold}/{folds} 折：训练中，第 {done}/{total} 步</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="398"/>
        <source>Fold {fold} of {folds}: predicting the held-out rows</source>
        <translation>第 {fold}/{folds} 折：正在预测留出的行</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="408"/>
        <source>Rows that look mislabeled: {issues} of {rows}. Duplicate groups with different labels: {duplicates}. Shared with the validation file: {leaks}.</source>
        <translation>疑似标错的行：{rows} 行中有 {issues} 行。标签不一致的重复文本：{duplicates} 组。与验证文件重复：{leaks} 组。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="419"/>
        <source>Search failed: {message}</source>
        <translation>查找失败：{message}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="423"/>
        <source>training</source>
        <translation>训练</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="423"/>
        <source>validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="433"/>
        <source>Duplicates ({count})</source>
        <translation>重复项（{count}）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="434"/>
        <source>Leakage ({count})</source>
        <translation>数据泄漏（{count}）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="459"/>
        <source>1 row with a confidence of {value:.2f} or more is selected: R relabels it, D drops it.</source>
        <translation>已选中置信度不低于 {value:.2f} 的 1 行：按 R 改标，按 D 删除。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="461"/>
        <source>{count} rows with a confidence of {value:.2f} or more are selected: R relabels them, D drops them.</source>
        <translation>已选中置信度不低于 {value:.2f} 的 {count} 行：按 R 改标，按 D 删除。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="468"/>
        <source>Writing the cleaned file…</source>
        <translation>正在写入清洗后的文件…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/label_errors_view.py" line="474"/>
        <source>Saved the cleaned data to {path}. &quot;Train on it&quot; opens it in the Dataset tab.</source>
        <translation>清洗后的数据已保存到 {path}。点击“用它训练”将在“数据集”标签页中打开它。</translation>
    </message>
</context>
<context>
    <name>LengthHistogram</name>
    <message>
        <location filename="../../workbench/gui/widgets/charts.py" line="36"/>
        <source>words</source>
        <translation>词</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/charts.py" line="37"/>
        <source>tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/charts.py" line="361"/>
        <source>examples</source>
        <translation>样本数</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/charts.py" line="362"/>
        <source>length</source>
        <translation>长度</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/charts.py" line="389"/>
        <source>How long the training examples are. The dashed line is max_length: red bars are examples that will be cut to it.</source>
        <translation>训练样本的长度。虚线是 max_length：红色柱子是将被截断到该长度的样本。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/charts.py" line="416"/>
        <source>length in {unit}</source>
        <translation>长度（{unit}）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/charts.py" line="441"/>
        <source>Example lengths</source>
        <translation>样本长度</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/charts.py" line="443"/>
        <source>No examples to measure</source>
        <translation>没有可统计的样本</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/charts.py" line="495"/>
        <source>{count} training examples, median {median} {unit}</source>
        <translation>{count} 个训练样本，中位数 {median} 个{unit}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/charts.py" line="502"/>
        <source>none longer than max_length {max_length}</source>
        <translation>没有超过 max_length {max_length} 的样本</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/charts.py" line="506"/>
        <source>{share} ({count}) truncated at max_length {max_length}</source>
        <translation>{share}（{count} 个）在 max_length {max_length} 处被截断</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="50"/>
        <location filename="../../workbench/gui/panels/dataset_panel.py" line="1332"/>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="51"/>
        <source>Tokenizer</source>
        <translation>分词器</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="52"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="53"/>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="54"/>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="846"/>
        <source>Prediction</source>
        <translation>预测</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="55"/>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="56"/>
        <location filename="../../workbench/gui/panels/evaluation_panel.py" line="1297"/>
        <source>Evaluation</source>
        <translation>评估</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="57"/>
        <source>Analysis</source>
        <translation>分析</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="58"/>
        <source>What-if</source>
        <translation>假设分析</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="59"/>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="60"/>
        <source>Runs</source>
        <translation>运行记录</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="115"/>
        <source>Idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="141"/>
        <source>The window closes once the checkpoint is saved. Close it again to quit at once, without the checkpoint.</source>
        <translation>检查点保存完毕后窗口即会关闭。再次关闭可立即退出，但不保存检查点。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="183"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="184"/>
        <source>Open &amp;dataset…</source>
        <translation>打开数据集(&amp;D)…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="185"/>
        <source>Open a CSV, TSV, JSONL, text, CoNLL or CoNLL-U file</source>
        <translation>打开 CSV、TSV、JSONL、纯文本、CoNLL 或 CoNLL-U 文件</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="186"/>
        <source>Open &amp;run…</source>
        <translation>打开运行(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="187"/>
        <source>Show a run folder&apos;s curves and use its model for prediction</source>
        <translation>显示某个运行文件夹的曲线，并用它的模型进行预测</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="188"/>
        <source>Recent datasets</source>
        <translation>最近的数据集</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="191"/>
        <source>&amp;Export model…</source>
        <translation>导出模型(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="192"/>
        <source>Export a run&apos;s model to ONNX with its tokenizer, checked with ONNX Runtime</source>
        <translation>将运行的模型连同分词器导出为 ONNX，并用 ONNX Runtime 检验</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="196"/>
        <source>&amp;Publish to the hub…</source>
        <translation>发布到模型中心(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="198"/>
        <source>Upload a run&apos;s model, tokenizer and model card to the Hugging Face hub</source>
        <translation>将运行的模型、分词器和模型卡上传到 Hugging Face 模型中心</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="200"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="201"/>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="202"/>
        <source>&amp;Start</source>
        <translation>开始(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="203"/>
        <source>Start training</source>
        <translation>开始训练</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="204"/>
        <source>&amp;Pause / resume</source>
        <translation>暂停 / 继续(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="205"/>
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="206"/>
        <source>Stop at the next step and save a checkpoint</source>
        <translation>在下一步停止并保存检查点</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="207"/>
        <source>Save &amp;checkpoint now</source>
        <translation>立即保存检查点(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="208"/>
        <source>&amp;Resume stopped run</source>
        <translation>继续已停止的运行(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="209"/>
        <source>Continue the run shown in the training panel from its latest checkpoint, with the settings it was started with</source>
        <translation>按启动时的设置，从最新检查点继续训练面板中显示的运行</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="211"/>
        <source>&amp;Inspect</source>
        <translation>检查(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="212"/>
        <source>&amp;What if…</source>
        <translation>假设分析(&amp;W)…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="213"/>
        <source>Edit the sentence in the prediction panel and compare prediction, saliency and attention</source>
        <translation>编辑预测面板中的句子，比较预测、显著性和注意力</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="214"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="219"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="220"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="224"/>
        <source>&amp;System check…</source>
        <translation>系统检查(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="226"/>
        <source>Check Qt&apos;s system libraries, fonts, torch and its devices, disk and the model hub</source>
        <translation>检查 Qt 的系统库、字体、torch 及其设备、磁盘和模型 Hub</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="227"/>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="241"/>
        <location filename="../../workbench/gui/main_window.py" line="516"/>
        <source>Show the interface in {language}</source>
        <translation>以 {language} 显示界面</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="295"/>
        <source>Ready: {libraries}</source>
        <translation>就绪：{libraries}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="309"/>
        <source>Open a run folder</source>
        <translation>打开运行文件夹</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="327"/>
        <source>{run}: {status}</source>
        <translation>{run}：{status}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="352"/>
        <source>No model: {run} {status} before saving any checkpoint, so it has no weights to predict with.</source>
        <translation>没有模型：{run} 在保存任何检查点之前就{status}，因此没有可用于预测的权重。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="387"/>
        <source>A run is in progress: stop it first, then resume {run}.</source>
        <translation>有一个运行正在进行：请先停止它，再继续 {run}。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="399"/>
        <source>What-if needs a classification model in the prediction panel.</source>
        <translation>假设分析需要预测面板中有一个分类模型。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="456"/>
        <source>Training failed</source>
        <translation>训练失败</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="460"/>
        <source>Resume from {checkpoint}</source>
        <translation>从 {checkpoint} 继续训练</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="462"/>
        <source>Continue the run from the newest checkpoint that is intact</source>
        <translation>从最新的完好检查点继续这次训练</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="468"/>
        <source>not installed</source>
        <translation>未安装</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="476"/>
        <source>About Transformer Workbench</source>
        <translation>关于 Transformer Workbench</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="505"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="598"/>
        <source>A run is in progress. Stop it at the next step, save a checkpoint and quit?
(To continue it later: in the app, Runs tab › Resume, or Training › Resume run; on the command line, workbench train --resume {run}.)</source>
        <translation>有一个运行正在进行。要在下一步停止、保存检查点并退出吗？
（之后要继续它：在应用中用“运行记录”标签页 › 继续，或“训练” › 继续运行；在命令行中用 workbench train --resume {run}。）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="506"/>
        <source>The {language} translation ({path}) could not be loaded; the interface stays in {current}.</source>
        <translation>无法加载 {language} 翻译文件（{path}）；界面仍使用 {current}。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="597"/>
        <source>Training is running</source>
        <translation>训练正在进行</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/main_window.py" line="134"/>
        <source>Stopping the run and saving a checkpoint…</source>
        <translation>正在停止运行并保存检查点…</translation>
    </message>
</context>
<context>
    <name>MapSelectionModel</name>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="197"/>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="198"/>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="199"/>
        <source>Gold</source>
        <translation>真实标签</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="200"/>
        <source>Predicted</source>
        <translation>预测</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/embedding_map_view.py" line="201"/>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
</context>
<context>
    <name>ModelPanel</name>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="437"/>
        <source>ships its own code: size unknown unless trusted</source>
        <translation>自带代码：除非信任，否则无法得知大小</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="446"/>
        <source>not downloaded yet: size known after the first run</source>
        <translation>尚未下载：首次运行后可知大小</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="719"/>
        <source>The model to train. From scratch: a small BERT or GPT whose tokenizer is trained on your data. Installed / folder: a Hugging Face model folder (config.json + weights) or a workbench run folder, fine-tuned. You can also type a hub id such as &apos;bert-base-uncased&apos; (downloaded on first use).</source>
        <translation>要训练的模型。从零开始：一个小型 BERT 或 GPT，其分词器在你的数据上训练。已安装 / 文件夹：一个 Hugging Face 模型文件夹（config.json + 权重）或 workbench 运行文件夹，进行微调。也可以输入 Hub ID，例如 &apos;bert-base-uncased&apos;（首次使用时下载）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="724"/>
        <source>preset, model folder or hub id</source>
        <translation>预设、模型文件夹或 Hub ID</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="736"/>
        <source>Folder…</source>
        <translation>文件夹…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="738"/>
        <source>Choose a local model folder (with config.json and model.safetensors) or a workbench run folder</source>
        <translation>选择本地模型文件夹（含 config.json 和 model.safetensors）或 workbench 运行文件夹</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="744"/>
        <source>What kind of model this is and how it will be used</source>
        <translation>这是什么模型，以及将如何使用它</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="129"/>
        <source>Transformer layers (blocks) of the from-scratch model</source>
        <translation>从零开始模型的 Transformer 层（块）数</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="134"/>
        <source>Attention heads per layer; the hidden size must be divisible by it</source>
        <translation>每层的注意力头数；隐藏层大小必须能被它整除</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="139"/>
        <source>Hidden size (width) of the from-scratch model; the feed-forward layer is 4x this</source>
        <translation>从零开始模型的隐藏层大小（宽度）；前馈层是它的 4 倍</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="147"/>
        <source>Vocabulary size of the tokenizer trained on your data (the trained vocabulary can end up smaller on little text)</source>
        <translation>在你的数据上训练的分词器的词表大小（文本较少时，训练出的词表可能更小）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="128"/>
        <source>Layers</source>
        <translation>层数</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="133"/>
        <source>Heads</source>
        <translation>头数</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="138"/>
        <source>Hidden</source>
        <translation>隐藏层</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="146"/>
        <source>Vocab size</source>
        <translation>词表大小</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="769"/>
        <source>trained on the data</source>
        <translation>在数据上训练</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="771"/>
        <source>From-scratch presets: a tokenizer folder saved in the Tokenizer tab, used instead of training one on the training data (the vocabulary size then comes from it). Empty: train one.</source>
        <translation>从零开始的预设：使用在“分词器”标签页中保存的分词器文件夹，而不是在训练数据上训练一个（词表大小随之由它决定）。留空：训练一个。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="777"/>
        <source>Choose a tokenizer folder (with tokenizer.json)</source>
        <translation>选择分词器文件夹（含 tokenizer.json）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="779"/>
        <source>Tokenizer</source>
        <translation>分词器</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="788"/>
        <source>classification: one label per text (or text pair). multi-label: any number of labels per text, separated in the label column (e.g. news|sport); each label is a yes/no decision with its own threshold. token-classification: one tag per word (NER, POS). masked-lm: BERT-style pre-training (fill in hidden words). causal-lm: GPT-style pre-training (predict the next word). question-answering: find the answer to a question in a context, or say there is none (SQuAD JSON).</source>
        <translation>classification：每个文本（或文本对）一个标签。multi-label：每个文本任意多个标签，在标签列中用分隔符隔开（例如 news|sport）；每个标签都是带有自己阈值的是/否判断。token-classification：每个词一个标注（NER、词性）。masked-lm：BERT 式预训练（掩码语言模型，填出被遮住的词）。causal-lm：GPT 式预训练（因果语言模型，预测下一个词）。question-answering：在上下文中找出问题的答案，或判断没有答案（SQuAD JSON）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="795"/>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1709"/>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1716"/>
        <source>Parameters: —</source>
        <translation>参数量：—</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="798"/>
        <location filename="../../workbench/gui/panels/model_panel.py" line="800"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="813"/>
        <source>Shape</source>
        <translation>结构</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="815"/>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="825"/>
        <source>Epochs</source>
        <translation>轮次</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="826"/>
        <source>Train for a number of passes over the training data</source>
        <translation>按遍历训练数据的轮数训练</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="827"/>
        <source>Max steps</source>
        <translation>最大步数</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="829"/>
        <source>Train for a fixed number of optimizer steps (wins over epochs)</source>
        <translation>训练固定数量的优化器步数（优先于轮次）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="161"/>
        <source>Passes over the training data (fractions allowed)</source>
        <translation>遍历训练数据的次数（可以是小数）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="835"/>
        <source>Optimizer steps to train for</source>
        <translation>要训练的优化器步数</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="177"/>
        <source>Examples per micro-batch. Lower it if you run out of memory; gradient accumulation keeps the effective batch.</source>
        <translation>每个微批次的样本数。内存不足时调低它；梯度累积可保持有效批大小不变。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="838"/>
        <source>Peak learning rate (after warmup), e.g. 5e-5</source>
        <translation>峰值学习率（预热之后），例如 5e-5</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="222"/>
        <location filename="../../workbench/gui/panels/model_panel.py" line="307"/>
        <location filename="../../workbench/gui/panels/model_panel.py" line="839"/>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="841"/>
        <source>Choose the learning rate automatically: 1e-3 for a from-scratch preset (random weights need larger steps; 5e-3 for the BiLSTM); for a checkpoint 1e-4 below 60M parameters (small distilled models such as MiniLM under-fit at 5e-5), else 5e-5 (the BERT paper&apos;s range).</source>
        <translation>自动选择学习率：从零开始的预设用 1e-3（随机权重需要更大的步长；BiLSTM 用 5e-3）；检查点在 60M 参数以下用 1e-4（MiniLM 等小型蒸馏模型在 5e-5 时欠拟合），否则用 5e-5（BERT 论文的范围）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="186"/>
        <source>Share of the steps over which the learning rate ramps up from 0 (0.06 = the RoBERTa recipe)</source>
        <translation>学习率从 0 开始预热上升所占的步数比例（0.06 = RoBERTa 的做法）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="194"/>
        <source>AdamW weight decay (0.01 is the usual value)</source>
        <translation>AdamW 权重衰减（常用值为 0.01）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="199"/>
        <source>Longest input in tokens; longer examples are truncated (see the histogram in the dataset panel). Presets have 512 positions.</source>
        <translation>以词元计的最长输入；更长的样本会被截断（见数据集面板中的直方图）。预设模型有 512 个位置。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="209"/>
        <source>Micro-batches per optimizer step: effective batch = batch size x this</source>
        <translation>每个优化器步的微批次数：有效批大小 = 批大小 × 此值</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="852"/>
        <source>Schedule</source>
        <translation>训练计划</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="176"/>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="855"/>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="185"/>
        <source>Warmup ratio</source>
        <translation>预热比例</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="193"/>
        <source>Weight decay</source>
        <translation>权重衰减</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="198"/>
        <source>Max length</source>
        <translation>最大长度</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="208"/>
        <source>Gradient accumulation</source>
        <translation>梯度累积</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="227"/>
        <source>Stop after this many evaluations without improvement of the metric for best. 0 = off (train to the end).</source>
        <translation>“最佳指标”连续这么多次评估没有提升就停止。0 = 关闭（训练到结束）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="171"/>
        <location filename="../../workbench/gui/panels/model_panel.py" line="232"/>
        <location filename="../../workbench/gui/panels/model_panel.py" line="294"/>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="729"/>
        <source>Browse models…</source>
        <translation>浏览模型…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="732"/>
        <source>Pre-trained models from the Hugging Face hub, with their size, the memory and time they need for your data, and a download with progress ({shortcut})</source>
        <translation>来自 Hugging Face Hub 的预训练模型：显示大小、在你的数据上所需的内存和时间，并可带进度下载（{shortcut}）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="751"/>
        <source>Checked against your data and this machine: from scratch on little data, a model too large for the memory or too slow for the time budget, a vocabulary for another language</source>
        <translation>根据你的数据和本机检查：数据很少却从零训练、模型太大内存不够或太慢超出时间预算、词表属于另一种语言</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="756"/>
        <source>Switch to the suggested model</source>
        <translation>切换到建议的模型</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="166"/>
        <source>Stop after this many minutes of training (evaluation not counted); the run then ends normally, with its final evaluation and model. Off = no limit.</source>
        <translation>训练这么多分钟后停止（不计评估时间）；运行随后正常结束，照常进行最终评估并保存模型。关闭 = 不限时。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="171"/>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="165"/>
        <source>Time budget</source>
        <translation>时间预算</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="217"/>
        <source>Optimizer steps between evaluations on the validation set. 0 = auto (about 10 per run). The end of each epoch and of the run are evaluated too: hollow diamonds on the curves.</source>
        <translation>在验证集上两次评估之间的优化器步数。0 = 自动（每次运行约 10 次）。每轮结束和运行结束时也会评估：即曲线上的空心菱形。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1782"/>
        <source>{metric} for {task}</source>
        <translation>{task}：{metric}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1786"/>
        <source>Which validation score picks the best checkpoint and drives early stopping. auto = the task&apos;s own: {defaults}.</source>
        <translation>用哪个验证分数挑选最佳检查点并决定早停。auto = 任务自身的指标：{defaults}。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="242"/>
        <source>Random seed: same seed, same data split and same initial weights</source>
        <translation>随机种子：相同的种子带来相同的数据划分和相同的初始权重</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="247"/>
        <source>auto = a CUDA GPU if there is one, else Apple&apos;s MPS, else the CPU</source>
        <translation>自动 = 有 CUDA GPU 时用 GPU，否则用 Apple 的 MPS，再否则用 CPU</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="668"/>
        <source>Evaluation and hardware</source>
        <translation>评估与硬件</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="216"/>
        <source>Evaluate every</source>
        <translation>评估间隔</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="226"/>
        <source>Early stopping patience</source>
        <translation>早停耐心值</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="236"/>
        <source>Metric for best</source>
        <translation>最佳指标</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="241"/>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="246"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="251"/>
        <source>Precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="275"/>
        <source>Freeze embeddings</source>
        <translation>冻结嵌入层</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="276"/>
        <source>Keep the embedding layer fixed: fewer trainable parameters and less memory; useful for small datasets</source>
        <translation>保持嵌入层不变：可训练参数更少、内存占用更低；适合小数据集</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="285"/>
        <source>Keep the lowest k transformer layers fixed and train only the ones above (0 = train all)</source>
        <translation>保持最底下的 k 个 Transformer 层不变，只训练上面的层（0 = 全部训练）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="293"/>
        <source>Clip the gradient norm to this value (0 = no clipping)</source>
        <translation>将梯度范数裁剪到此值（0 = 不裁剪）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="299"/>
        <source>Checkpoints kept on disk (the newest k; the best one is always kept too)</source>
        <translation>磁盘上保留的检查点数（最新的 k 个；最佳检查点总会保留）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="306"/>
        <source>CPU threads for PyTorch (0 = auto: all physical cores)</source>
        <translation>PyTorch 使用的 CPU 线程数（0 = 自动：所有物理核心）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="311"/>
        <source>Allow pickle weights</source>
        <translation>允许 pickle 权重</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="312"/>
        <source>⚠ Load weights stored as pickle (pytorch_model.bin). Unpickling a file can run arbitrary code on your machine: tick this only for files from a source you trust. safetensors weights never need it.</source>
        <translation>⚠ 加载以 pickle 格式存储的权重（pytorch_model.bin）。反序列化 pickle 文件可能在你的机器上执行任意代码：只对来源可信的文件勾选此项。safetensors 权重从不需要它。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="321"/>
        <source>Trust remote code</source>
        <translation>信任远程代码</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="322"/>
        <source>⚠ Let a model run the Python code it ships (auto_map in config.json). That code runs with your permissions: tick this only for authors you trust.</source>
        <translation>⚠ 允许模型运行它自带的 Python 代码（config.json 中的 auto_map）。这些代码以你的权限运行：只对你信任的作者勾选此项。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="673"/>
        <source>Freezing and advanced</source>
        <translation>冻结与高级</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="284"/>
        <source>Freeze lowest layers</source>
        <translation>冻结底部层数</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="252"/>
        <source>auto = bf16 mixed precision on a GPU that supports it, and on a CPU with AVX-512 BF16 or AMX where a one-time probe measured it faster; fp32 elsewhere. fp16 needs a CUDA GPU; bf16/fp16 roughly halve activation memory. Weights and optimizer state stay fp32.</source>
        <translation>自动 = 在支持的 GPU 上使用 bf16 混合精度；在带 AVX-512 BF16 或 AMX 的 CPU 上，若一次性测速表明它更快也使用 bf16；其他情况用 fp32。fp16 需要 CUDA GPU；bf16/fp16 大约能让激活内存减半。权重和优化器状态始终保持 fp32。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="262"/>
        <source>Also log to</source>
        <translation>同时记录到</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="263"/>
        <source>Copy the loss, metrics and learning rate of every run to these tools; the run folder keeps them all the same. TensorBoard: event files in the run folder (tensorboard --logdir RUNS). MLflow: the server in MLFLOW_TRACKING_URI, else a file store (mlruns) beside the run folders. A tool that fails is switched off with a warning; the run goes on. Needs the [tracking] extra.</source>
        <translation>把每次运行的损失、指标和学习率同时复制到这些工具中；运行文件夹照样保存全部记录。TensorBoard：事件文件写在运行文件夹中（tensorboard --logdir RUNS）。MLflow：写到 MLFLOW_TRACKING_URI 指定的服务器，未设置时写到运行文件夹旁的文件存储（mlruns）。某个工具出错时会被关闭并给出一次警告，训练照常继续。需要安装 [tracking] 扩展。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="292"/>
        <source>Max grad norm</source>
        <translation>最大梯度范数</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="298"/>
        <source>Keep checkpoints</source>
        <translation>保留检查点数</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="305"/>
        <source>CPU threads</source>
        <translation>CPU 线程数</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="332"/>
        <source>Source prefix</source>
        <translation>源文本前缀</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="333"/>
        <source>Text put before every source, for T5-style models that read the task from the input (e.g. &apos;translate English to Chinese: &apos;). Saved with the model: prediction adds it too. Empty = none.</source>
        <translation>加在每条源文本前面的文字，供从输入中读取任务的 T5 类模型使用（例如“translate English to Chinese: ”）。随模型保存：预测时也会加上。留空 = 不加。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="342"/>
        <source>Generated in evaluations</source>
        <translation>评估时生成的样本数</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="343"/>
        <source>Validation examples whose outputs are generated and scored at each evaluation during the run (a fixed sample: generating is slow); the run&apos;s last evaluation generates all.</source>
        <translation>训练过程中每次评估时生成输出并打分的验证样本数（固定的一批样本：生成很慢）；训练的最后一次评估会生成全部样本。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="351"/>
        <source>Context turns</source>
        <translation>上下文轮数</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="352"/>
        <source>Dialogue: the previous turns of the conversation the model reads before it replies (1 = the last turn only; more need conversation and turn columns).</source>
        <translation>对话：模型回复前读取的此前对话轮数（1 = 仅上一轮；更多轮需要会话列和轮次列）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="360"/>
        <source>Turn separator</source>
        <translation>轮次分隔符</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="361"/>
        <source>Dialogue: what joins the turns of a context (spaces count)</source>
        <translation>对话：连接上下文各轮的文字（空格也算）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="675"/>
        <source>Sequence to sequence</source>
        <translation>序列到序列</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="883"/>
        <source>What must be fixed before training can start</source>
        <translation>开始训练前必须修正的问题</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="885"/>
        <source>Result of the last save</source>
        <translation>上次保存的结果</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="886"/>
        <source>Show command</source>
        <translation>显示命令</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="888"/>
        <source>Show the equivalent &apos;workbench train ...&apos; command line and config JSON, to repeat this run in a script or on a server</source>
        <translation>显示等效的 &apos;workbench train ...&apos; 命令行和配置 JSON，以便在脚本或服务器上重复这次运行</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="892"/>
        <source>Save config…</source>
        <translation>保存配置…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="893"/>
        <source>Save the full training configuration as a JSON file</source>
        <translation>将完整的训练配置保存为 JSON 文件</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="904"/>
        <source>&amp;Whole-word masking</source>
        <translation>全词掩码(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="906"/>
        <source>Mask every piece of a chosen word together (all its WordPiece &apos;##&apos; pieces), so a word cannot be guessed from its own visible pieces: a harder, more useful task (BERT&apos;s later recipe). Alt+W</source>
        <translation>把选中词的所有子词（它的全部 WordPiece &apos;##&apos; 片段）一起遮住，这样就不能从该词自身可见的片段猜出它：任务更难，也更有用（BERT 后来的做法）。Alt+W</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="910"/>
        <source>Ne&amp;xt-sentence prediction</source>
        <translation>下一句预测(&amp;X)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="912"/>
        <source>BERT&apos;s second objective: train on sentence pairs drawn from the corpus, where the second part is the real continuation half the time and a random passage otherwise, and learn to tell which. Validation reports its accuracy (chance = 0.5). Needs a BERT-family model (RoBERTa and DistilBERT have no next-sentence head). For a clean figure give a validation file of continuous text: the automatic split holds out random lines. Alt+X</source>
        <translation>BERT 的第二个目标：在从语料中抽取的句子对上训练，第二部分一半时间是真实的后续文本，其余时间是随机段落，模型要学会分辨。验证时报告其准确率（随机水平 = 0.5）。需要 BERT 系列模型（RoBERTa 和 DistilBERT 没有下一句预测头）。想得到干净的数字，请提供连续文本的验证文件：自动划分会随机留出若干行。Alt+X</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="924"/>
        <source>Pre-training:</source>
        <translation>预训练：</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="992"/>
        <source>From scratch (tokenizer trained on your data)</source>
        <translation>从零开始（分词器在你的数据上训练）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1000"/>
        <source>Installed checkpoints</source>
        <translation>已安装的检查点</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1007"/>
        <source>Downloaded (Hugging Face cache)</source>
        <translation>已下载（Hugging Face 缓存）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1013"/>
        <source>Recent</source>
        <translation>最近使用</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1199"/>
        <source>Save training config</source>
        <translation>保存训练配置</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1199"/>
        <source>Config (*.json);;All files (*)</source>
        <translation>配置 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1211"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1222"/>
        <source>Choose a model folder (with config.json) or a run folder</source>
        <translation>选择模型文件夹（含 config.json）或运行文件夹</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1230"/>
        <source>Choose a tokenizer folder (from the Tokenizer tab)</source>
        <translation>选择分词器文件夹（来自“分词器”标签页）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1307"/>
        <source>{old} cannot learn {task}: switched to {new}</source>
        <translation>{old} 无法学习 {task}：已换成 {new}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1310"/>
        <source>The model was changed to one that can learn the chosen task</source>
        <translation>模型已换成能学习所选任务的模型</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1365"/>
        <source>Refused on this machine (device or precision): a run would stop at its start</source>
        <translation>本机不支持此设置（设备或精度）：训练会在开始时停止</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1368"/>
        <source>native bf16</source>
        <translation>原生 bf16</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1370"/>
        <source>this GPU supports bf16</source>
        <translation>此 GPU 支持 bf16</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1371"/>
        <source>this GPU lacks bf16; with loss scaling</source>
        <translation>此 GPU 不支持 bf16；使用损失缩放</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1372"/>
        <source>this CPU has {hardware}, measured {speed}x faster</source>
        <translation>此 CPU 具备 {hardware}，实测快 {speed} 倍</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1374"/>
        <source>bf16 measured {speed}x the speed of fp32 here: not worth it</source>
        <translation>本机实测 bf16 速度为 fp32 的 {speed} 倍：不值得使用</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1376"/>
        <source>bf16 is measured when training starts</source>
        <translation>训练开始时测量 bf16 速度</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1377"/>
        <source>this CPU has no native bf16</source>
        <translation>此 CPU 不支持原生 bf16</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1378"/>
        <source>pinned by WORKBENCH_CPU_AUTO_PRECISION</source>
        <translation>由 WORKBENCH_CPU_AUTO_PRECISION 固定</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1379"/>
        <source>several processes share the CPU</source>
        <translation>多个进程共用 CPU</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1380"/>
        <source>mixed precision only on CUDA GPUs and bf16 CPUs</source>
        <translation>仅在 CUDA GPU 和支持 bf16 的 CPU 上使用混合精度</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1382"/>
        <source>as chosen</source>
        <translation>按所选</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1383"/>
        <source>Uses {precision} ({why})</source>
        <translation>使用 {precision}（{why}）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1391"/>
        <source>Use {model}</source>
        <translation>使用 {model}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1412"/>
        <source>fix the problems below first</source>
        <translation>请先修正下方的问题</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1415"/>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1709"/>
        <source>Parameters: counting…</source>
        <translation>参数量：计算中…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1441"/>
        <source>Saved {name}</source>
        <translation>已保存 {name}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1448"/>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1464"/>
        <source>{name} (installed)</source>
        <translation>{name}（已安装）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1479"/>
        <source>Only from-scratch presets can change shape; a checkpoint&apos;s shape is fixed (shown here once its config.json is read)</source>
        <translation>只有从零开始的预设可以改变结构；检查点的结构是固定的（读取其 config.json 后在此显示）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1487"/>
        <source>A BiLSTM has no attention heads</source>
        <translation>BiLSTM 没有注意力头</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1489"/>
        <source>LSTM units per direction (each layer&apos;s output is twice this wide)</source>
        <translation>每个方向的 LSTM 单元数（每层输出宽度是它的两倍）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1509"/>
        <source>&lt;b&gt;From scratch:&lt;/b&gt; {description}. Random weights; its tokenizer is trained on your training text when training starts.</source>
        <translation>&lt;b&gt;从零开始：&lt;/b&gt;{description}。随机初始化权重；开始训练时，其分词器会在你的训练文本上训练。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1514"/>
        <source>Masked LM from scratch: BERT&apos;s learned positions keep it guessing word frequencies for thousands of steps; &lt;b&gt;modernbert-mini&lt;/b&gt; (rotary positions) uses the neighbouring words within a few hundred.</source>
        <translation>从头训练掩码语言模型时，BERT 学习的位置嵌入会让它在数千步内只按词频猜测；&lt;b&gt;modernbert-mini&lt;/b&gt;（旋转位置编码）在几百步内就能利用相邻的词。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1519"/>
        <source>Choose a preset, an installed checkpoint, a model folder, or type a hub id.</source>
        <translation>选择一个预设、已安装的检查点或模型文件夹，或输入 Hub ID。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1528"/>
        <source>&lt;b&gt;Checkpoint folder&lt;/b&gt; (fine-tuned): {path}</source>
        <translation>&lt;b&gt;检查点文件夹&lt;/b&gt;（微调）：{path}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1531"/>
        <source>&lt;b&gt;Hub id&lt;/b&gt; {spec}: in the Hugging Face cache (works offline).</source>
        <translation>&lt;b&gt;Hub ID&lt;/b&gt; {spec}：已在 Hugging Face 缓存中（离线可用）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1535"/>
        <source>&lt;b&gt;{name}&lt;/b&gt; (hub id {spec}): not downloaded yet ({size}). Browse models… downloads it with progress; otherwise training downloads it when it starts.</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt;（Hub ID {spec}）：尚未下载（{size}）。“浏览模型…”可带进度下载；否则会在训练开始时下载。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1540"/>
        <source>&lt;b&gt;Hub id&lt;/b&gt; {spec}: downloaded on first use (or taken from the local cache when offline).</source>
        <translation>&lt;b&gt;Hub ID&lt;/b&gt; {spec}：首次使用时下载（离线时取自本地缓存）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1548"/>
        <source>choose a preset, a model folder or a hub id</source>
        <translation>请选择预设、模型文件夹或 Hub ID</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1554"/>
        <source>the hidden size {hidden} is not divisible by {heads} heads (each head gets hidden / heads dimensions)</source>
        <translation>隐藏层大小 {hidden} 不能被 {heads} 个头整除（每个头分得 隐藏层大小 / 头数 个维度）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1559"/>
        <source>{model} is a left-to-right (GPT) model and cannot do masked-lm; choose causal-lm, or a BERT preset</source>
        <translation>{model} 是从左到右的（GPT）模型，不能做 masked-lm；请选择 causal-lm，或 BERT 预设</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1569"/>
        <source>{spec} is not a valid hub id (letters, digits, &apos;-&apos;, &apos;_&apos;, &apos;.&apos;, at most one &apos;/&apos;, like &apos;bert-base-uncased&apos; or &apos;org/name&apos;)</source>
        <translation>{spec} 不是有效的 Hub ID（只能含字母、数字、&apos;-&apos;、&apos;_&apos;、&apos;.&apos;，最多一个 &apos;/&apos;，例如 &apos;bert-base-uncased&apos; 或 &apos;org/name&apos;）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="89"/>
        <location filename="../../workbench/gui/panels/model_panel.py" line="90"/>
        <source>from scratch</source>
        <translation>从零开始</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="91"/>
        <source>checkpoint under 60M parameters</source>
        <translation>60M 参数以下的检查点</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="92"/>
        <source>checkpoint</source>
        <translation>检查点</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="93"/>
        <source>1e-4 under 60M parameters, else 5e-5</source>
        <translation>60M 参数以下为 1e-4，否则为 5e-5</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1670"/>
        <source>auto: {lr} ({why})</source>
        <translation>自动：{lr}（{why}）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1672"/>
        <source>auto: {why}</source>
        <translation>自动：{why}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1681"/>
        <source>Parameters are counted exactly by building the model for this task on PyTorch&apos;s meta device (shapes only, no memory; a classification head is sized for 2 labels until the data is known; a preset&apos;s vocabulary at its full size).

Training memory ≈ parameters × {param_bytes} bytes (fp32 weights, gradients and AdamW&apos;s two moments) + activations ≈ batch × max length × hidden × layers × {activation_bytes} bytes ({mixed_bytes} with bf16/fp16 precision). A rough estimate: frozen layers and a smaller batch lower it; attention maps at long max lengths and the CUDA context (~0.5–1 GB on a GPU) come on top.</source>
        <translation>参数量是在 PyTorch 的 meta 设备上为此任务构建模型后精确统计的（只有形状，不占内存；在知道数据之前，分类头按 2 个标签计算；预设的词表按完整大小计算）。

训练内存 ≈ 参数量 × {param_bytes} 字节（fp32 权重、梯度和 AdamW 的两个动量）+ 激活 ≈ 批大小 × 最大长度 × 隐藏层大小 × 层数 × {activation_bytes} 字节（bf16/fp16 精度下为 {mixed_bytes}）。这只是粗略估计：冻结层和更小的批大小会降低它；最大长度较长时的注意力图和 CUDA 上下文（GPU 上约 0.5–1 GB）另计。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1714"/>
        <source>Parameters: unknown ({reason})</source>
        <translation>参数量：未知（{reason}）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1722"/>
        <source>&lt;b&gt;{parameters}&lt;/b&gt; parameters · training memory ≈ &lt;b&gt;{memory}&lt;/b&gt;</source>
        <translation>&lt;b&gt;{parameters}&lt;/b&gt; 个参数 · 训练内存 ≈ &lt;b&gt;{memory}&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1740"/>
        <source>the model has only {layers} layers (got {value})</source>
        <translation>模型只有 {layers} 层（填写的是 {value}）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/model_panel.py" line="1749"/>
        <source>this model has {positions} positions at most (got {value})</source>
        <translation>该模型最多只有 {positions} 个位置（填写的是 {value}）</translation>
    </message>
</context>
<context>
    <name>ModelView</name>
    <message>
        <location filename="../../workbench/gui/widgets/model_view.py" line="84"/>
        <source>Every head of every layer (rows: layers, columns: heads), same colours as the heatmap.
Click a small map to show it large in the Heatmap tab.</source>
        <translation>每一层的每个注意力头（行：层，列：头），颜色与热力图相同。
点击小图可在“热力图”标签页中放大显示。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/model_view.py" line="152"/>
        <source>head {head}</source>
        <translation>头 {head}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/model_view.py" line="156"/>
        <source>layer {layer}</source>
        <translation>第 {layer} 层</translation>
    </message>
</context>
<context>
    <name>MultiLabelBars</name>
    <message>
        <location filename="../../workbench/gui/widgets/multilabel_view.py" line="67"/>
        <source>The probability of each label on its own (they need not add up to 100%). The black tick is the label&apos;s threshold; a label reaching its tick is chosen (orange).</source>
        <translation>每个标签各自的概率（总和不必为 100%）。黑色刻度是该标签的阈值；达到刻度的标签被选中（橙色）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/multilabel_view.py" line="139"/>
        <source>chosen</source>
        <translation>已选中</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/multilabel_view.py" line="139"/>
        <source>not chosen</source>
        <translation>未选中</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/multilabel_view.py" line="140"/>
        <source>{name}: probability {p:.4f}, threshold {t:.4f} ({verdict})</source>
        <translation>{name}：概率 {p:.4f}，阈值 {t:.4f}（{verdict}）</translation>
    </message>
</context>
<context>
    <name>MultiLabelView</name>
    <message>
        <location filename="../../workbench/gui/widgets/multilabel_view.py" line="164"/>
        <source>The labels whose probability reaches their threshold: the model&apos;s answer. Thresholds were tuned per label on the validation set after training (0.5 if not).</source>
        <translation>概率达到各自阈值的标签：即模型的答案。阈值是训练后在验证集上为每个标签分别调定的（未调定时为 0.5）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/multilabel_view.py" line="189"/>
        <source>{chosen} of {total} labels</source>
        <translation>{total} 个标签中的 {chosen} 个</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/multilabel_view.py" line="196"/>
        <source>no label</source>
        <translation>无标签</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/multilabel_view.py" line="196"/>
        <source>No label reaches its threshold.</source>
        <translation>没有标签达到其阈值。</translation>
    </message>
</context>
<context>
    <name>OutputsModel</name>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_results.py" line="83"/>
        <source>Line</source>
        <translation>行</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_results.py" line="83"/>
        <source>Source</source>
        <translation>源文本</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_results.py" line="83"/>
        <source>References</source>
        <translation>参考</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_results.py" line="83"/>
        <source>Prediction</source>
        <translation>预测</translation>
    </message>
</context>
<context>
    <name>PredictionPanel</name>
    <message>
        <location filename="../../workbench/gui/tasks/registry.py" line="29"/>
        <source>Load a model first (a run folder, a model folder or a hub id), then type here.</source>
        <translation>请先加载模型（运行文件夹、模型文件夹或 Hub ID），然后在这里输入。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/tasks/registry.py" line="106"/>
        <location filename="../../workbench/gui/tasks/registry.py" line="150"/>
        <source>Type a sentence… the prediction updates as you type.</source>
        <translation>输入一个句子… 预测会随输入实时更新。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/tasks/registry.py" line="113"/>
        <source>Type a sentence… every label it has is chosen as you type.</source>
        <translation>输入一个句子… 输入时会选出它具有的每个标签。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/tasks/registry.py" line="121"/>
        <source>Type a sentence, e.g. “Alice flew to Paris to meet the Google team”…</source>
        <translation>输入一个句子，例如“Alice flew to Paris to meet the Google team”…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/tasks/registry.py" line="133"/>
        <source>Write [MASK] where a word is missing, e.g. “I love [MASK] cats”.</source>
        <translation>在缺词的位置写 [MASK]，例如“I love [MASK] cats”。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/tasks/registry.py" line="140"/>
        <source>Write the start of a text (a prompt), then press Generate or Ctrl+Enter.</source>
        <translation>写出文本的开头（提示），然后点击“生成”或按 Ctrl+Enter。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/tasks/registry.py" line="33"/>
        <source>Type a sentence to see its attention in the Attention tab.</source>
        <translation>输入一个句子，即可在“注意力”标签页中查看它的注意力。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/tasks/registry.py" line="105"/>
        <source>text classification</source>
        <translation>文本分类</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/tasks/registry.py" line="112"/>
        <source>multi-label classification</source>
        <translation>多标签分类</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/tasks/registry.py" line="120"/>
        <source>token classification</source>
        <translation>词元分类</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/tasks/registry.py" line="132"/>
        <source>masked language model</source>
        <translation>掩码语言模型</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/tasks/registry.py" line="139"/>
        <source>causal language model</source>
        <translation>因果语言模型</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/tasks/registry.py" line="148"/>
        <source>extractive question answering</source>
        <translation>抽取式问答</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/tasks/registry.py" line="158"/>
        <source>translation</source>
        <translation>翻译</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/tasks/registry.py" line="159"/>
        <source>Type a sentence in the source language… its translation appears below.</source>
        <translation>输入一句源语言的句子…… 译文显示在下方。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/tasks/registry.py" line="167"/>
        <source>summarisation</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/tasks/registry.py" line="168"/>
        <source>Paste a text (an abstract, an article)… its summary appears below.</source>
        <translation>粘贴一段文本（摘要、文章）…… 其概要显示在下方。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/tasks/registry.py" line="176"/>
        <source>dialogue</source>
        <translation>对话</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/tasks/registry.py" line="177"/>
        <source>Say something… the model&apos;s reply appears below.</source>
        <translation>说点什么…… 模型的回复显示在下方。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="120"/>
        <source>No model loaded yet: load a run or model folder first.</source>
        <translation>尚未加载模型：请先加载一个运行或模型文件夹。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="151"/>
        <source>checkpoint {name}</source>
        <translation>检查点 {name}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="152"/>
        <source>final model</source>
        <translation>最终模型</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="149"/>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="233"/>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="648"/>
        <source>Model: {spec}</source>
        <translation>模型：{spec}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="157"/>
        <source>Model: {run} — {what} (run {status})</source>
        <translation>模型：{run} — {what}（运行{status}）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="182"/>
        <source>model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="229"/>
        <source>Give a run folder, a model folder or a hub id to load.</source>
        <translation>请给出要加载的运行文件夹、模型文件夹或 Hub ID。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="236"/>
        <source>Loading {origin}…</source>
        <translation>正在加载 {origin}…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="238"/>
        <source>Loading {spec}…</source>
        <translation>正在加载 {spec}…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="259"/>
        <source>The model loaded before was unloaded: {earlier}</source>
        <translation>之前加载的模型已卸载：{earlier}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="291"/>
        <source>Model: the run in training (its weights as of the latest step)</source>
        <translation>模型：正在训练的运行（截至最新一步的权重）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="303"/>
        <source>No model yet: load a run or model folder above.</source>
        <translation>尚无模型：请在上方加载运行或模型文件夹。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="307"/>
        <source>Type something to see a prediction.</source>
        <translation>输入一些内容即可看到预测。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="321"/>
        <source>generating…</source>
        <translation>正在生成…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="324"/>
        <source>predicting…</source>
        <translation>预测中…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="359"/>
        <source>Run folder, model folder or hub id (e.g. runs/sst2 or bert-base-uncased)</source>
        <translation>运行文件夹、模型文件夹或 Hub ID（例如 runs/sst2 或 bert-base-uncased）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="362"/>
        <source>A workbench run folder, a Hugging Face model folder (with config.json), or a hub id. Press Enter or Load.</source>
        <translation>workbench 运行文件夹、Hugging Face 模型文件夹（含 config.json）或 Hub ID。按 Enter 或点击“加载”。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="365"/>
        <source>Load</source>
        <translation>加载</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="366"/>
        <source>Load the model named in the field.</source>
        <translation>加载输入框中指定的模型。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="367"/>
        <source>Load model…</source>
        <translation>加载模型…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="368"/>
        <source>Choose a run folder or a model folder on disk and load it.</source>
        <translation>在磁盘上选择运行文件夹或模型文件夹并加载。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="370"/>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="378"/>
        <source>What went wrong and what to do. The panel stays usable.</source>
        <translation>出了什么问题以及该怎么办。面板仍可继续使用。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="383"/>
        <source>The model in use, its task, and how long the last prediction took.</source>
        <translation>正在使用的模型、它的任务，以及上一次预测的用时。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="392"/>
        <source>Which weights the predictions come from</source>
        <translation>预测所用的权重来自哪里</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="396"/>
        <source>Your input. Predictions update as you type; Ctrl+Enter predicts at once.</source>
        <translation>你的输入。预测随输入实时更新；按 Ctrl+Enter 立即预测。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="403"/>
        <source>Top </source>
        <translation>前 </translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="404"/>
        <source>How many candidate words to show for each [MASK].</source>
        <translation>每个 [MASK] 显示多少个候选词。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="408"/>
        <source> new tokens</source>
        <translation> 个新词元</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="410"/>
        <source>The most tokens to generate after the prompt (Stop or Esc ends it sooner).</source>
        <translation>在提示之后最多生成的词元数（“停止”或 Esc 可提前结束）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="412"/>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="413"/>
        <source>Continue the prompt (Ctrl+Enter).</source>
        <translation>续写提示（Ctrl+Enter）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="421"/>
        <source>The model&apos;s prediction for the text above.</source>
        <translation>模型对上方文本的预测。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="422"/>
        <source>Load a model and type a sentence to see its prediction.</source>
        <translation>加载模型并输入一个句子，即可看到它的预测。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="435"/>
        <source>The predicted label (the most probable one).</source>
        <translation>预测的标签（概率最高的那个）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="438"/>
        <source>The predicted label&apos;s probability.</source>
        <translation>预测标签的概率。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="464"/>
        <source>Each word with its predicted tag; words tagged O (outside any entity) are plain.</source>
        <translation>每个词及其预测的标注；标注为 O（不属于任何实体）的词不加标记。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="482"/>
        <source>The most likely words for each [MASK], with their probabilities.</source>
        <translation>每个 [MASK] 最可能的词及其概率。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="489"/>
        <source>The prompt, followed by the generated text (highlighted).</source>
        <translation>提示，后接生成的文本（高亮显示）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="503"/>
        <source>The text the model generated from yours.</source>
        <translation>模型根据你的文本生成的文本。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="562"/>
        <source>Choose a run folder or a model folder</source>
        <translation>选择运行文件夹或模型文件夹</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="589"/>
        <source>Could not load the model.</source>
        <translation>无法加载模型。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="388"/>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="591"/>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="646"/>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="653"/>
        <source>No model loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="655"/>
        <source>attention only</source>
        <translation>仅注意力</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="658"/>
        <source>{count} labels</source>
        <translation>{count} 个标签</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="664"/>
        <source>No model loaded: give a run folder, a model folder or a hub id above.</source>
        <translation>未加载模型：请在上方给出运行文件夹、模型文件夹或 Hub ID。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="735"/>
        <source>probability {probability}</source>
        <translation>概率 {probability}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="762"/>
        <source>(nothing: the model ended at once)</source>
        <translation>（无：模型立即结束了生成）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="777"/>
        <source>The model&apos;s most likely words for this [MASK] and their probabilities.</source>
        <translation>模型认为此 [MASK] 处最可能的词及其概率。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="800"/>
        <source>(cut off: beyond the model&apos;s maximum length)</source>
        <translation>（已截断：超出模型的最大长度）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="813"/>
        <source>no words</source>
        <translation>没有词</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="814"/>
        <source>Entity types: {legend}</source>
        <translation>实体类型：{legend}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/prediction_panel.py" line="814"/>
        <source>none</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>PredictionsModel</name>
    <message>
        <location filename="../../workbench/gui/widgets/predictions_model.py" line="40"/>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/predictions_model.py" line="41"/>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/predictions_model.py" line="42"/>
        <location filename="../../workbench/gui/widgets/predictions_model.py" line="79"/>
        <source>Predicted</source>
        <translation>预测</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/predictions_model.py" line="43"/>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/predictions_model.py" line="44"/>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/predictions_model.py" line="45"/>
        <location filename="../../workbench/gui/widgets/predictions_model.py" line="87"/>
        <source>Correct</source>
        <translation>正确</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/predictions_model.py" line="48"/>
        <source>The example&apos;s text (hover a cell for all of it).</source>
        <translation>样本的文本（悬停在单元格上查看全文）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/predictions_model.py" line="49"/>
        <source>The true label from the data file.</source>
        <translation>数据文件中的真实标签。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/predictions_model.py" line="50"/>
        <source>The model&apos;s prediction.</source>
        <translation>模型的预测。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/predictions_model.py" line="51"/>
        <source>The probability the model gave its prediction. Confident mistakes are worth a look: often a wrong label in the data, or a pattern the model learned wrongly.</source>
        <translation>模型给出其预测的概率。高置信度的错误值得一看：往往是数据中的标签有误，或模型学错了某种模式。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/predictions_model.py" line="56"/>
        <source>Cross-entropy loss of the true label (high = the model found the true label unlikely).</source>
        <translation>真实标签的交叉熵损失（越高 = 模型越认为真实标签不太可能）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/predictions_model.py" line="60"/>
        <source>Whether the prediction equals the label. Sorting this column ascending lists the most confident mistakes first.</source>
        <translation>预测是否与标签一致。按此列升序排序时，置信度最高的错误排在最前面。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/predictions_model.py" line="69"/>
        <source>Words</source>
        <translation>词</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/predictions_model.py" line="70"/>
        <source>The sentence&apos;s words (hover a cell for all of them).</source>
        <translation>句子中的词（悬停在单元格上查看全部）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/predictions_model.py" line="75"/>
        <source>Tags</source>
        <translation>标注</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/predictions_model.py" line="76"/>
        <source>The true tags, one per word.</source>
        <translation>真实标注，每个词一个。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/predictions_model.py" line="80"/>
        <source>The predicted tags, one per word.</source>
        <translation>预测的标注，每个词一个。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/predictions_model.py" line="83"/>
        <source>Tags right</source>
        <translation>标注正确率</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/predictions_model.py" line="84"/>
        <source>The share of the sentence&apos;s words tagged right.</source>
        <translation>句子中标注正确的词所占比例。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/predictions_model.py" line="88"/>
        <source>Whether every tag of the sentence is right. Sorting this column ascending lists the sentences with the most wrong tags first.</source>
        <translation>句子的每个标注是否都正确。按此列升序排序时，错误标注最多的句子排在最前面。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/predictions_model.py" line="316"/>
        <source>Line {line} of {file}: the row number the Dataset tab shows for this example (example {index} in the exported CSV).</source>
        <translation>{file} 的第 {line} 行：“数据集”标签页为此样本显示的行号（导出的 CSV 中的第 {index} 个样本）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/predictions_model.py" line="314"/>
        <source>The example&apos;s index in the data (0 = the first), as in the exported CSV.</source>
        <translation>样本在数据中的序号（0 = 第一个），与导出的 CSV 一致。</translation>
    </message>
</context>
<context>
    <name>ProbabilityBars</name>
    <message>
        <location filename="../../workbench/gui/widgets/prob_bars.py" line="41"/>
        <source>Probability of each label (the top one highlighted). Hover a row for its full name.</source>
        <translation>每个标签的概率（最高的一项高亮显示）。悬停在某行上可查看完整名称。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/prob_bars.py" line="104"/>
        <source>No prediction yet</source>
        <translation>尚无预测</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/prob_bars.py" line="137"/>
        <source>+{count} more labels, {share} in total</source>
        <translation>另有 {count} 个标签，合计 {share}</translation>
    </message>
</context>
<context>
    <name>ProbesView</name>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="139"/>
        <source>Swap terms</source>
        <translation>替换词语</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="139"/>
        <source>Insert a word</source>
        <translation>插入一个词</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="139"/>
        <source>Remove a word</source>
        <translation>删除一个词</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="140"/>
        <source>Templates</source>
        <translation>模板</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="142"/>
        <source>Edit terms…</source>
        <translation>编辑词表…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="144"/>
        <source>word</source>
        <translation>词语</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="147"/>
        <source>One template per line, with {term} where the group&apos;s term goes; empty: the built-in templates</source>
        <translation>每行一个模板，用 {term} 标出填入组内词语的位置；留空则使用内置模板</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="149"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="150"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="151"/>
        <source>Export JSON…</source>
        <translation>导出 JSON…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="152"/>
        <source>Export HTML…</source>
        <translation>导出 HTML…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="160"/>
        <source>Double-click a text to open it in the prediction panel.</source>
        <translation>双击文本即可在预测面板中打开。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="164"/>
        <source>Probe:</source>
        <translation>探测：</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="164"/>
        <source>Terms:</source>
        <translation>词表：</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="207"/>
        <source>From a file…</source>
        <translation>从文件…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="224"/>
        <source>Bias probes need a text classification model; this one is a {task} model.</source>
        <translation>偏见探测需要文本分类模型；当前模型是 {task} 模型。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="270"/>
        <source>Probing…</source>
        <translation>正在探测…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="280"/>
        <source>Probe cancelled.</source>
        <translation>探测已取消。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="288"/>
        <source>{done} / {total} texts predicted</source>
        <translation>已预测 {done} / {total} 条文本</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="295"/>
        <source>{n} template filled.</source>
        <translation>已填充 {n} 个模板。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="296"/>
        <source>{n} templates filled.</source>
        <translation>已填充 {n} 个模板。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="299"/>
        <source>{n} text probed; flip rate over all pairs {rate}.</source>
        <translation>已探测 {n} 条文本；所有组对的翻转率为 {rate}。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="300"/>
        <source>{n} texts probed; flip rate over all pairs {rate}.</source>
        <translation>已探测 {n} 条文本；所有组对的翻转率为 {rate}。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="327"/>
        <source>Evaluate a classifier in the Evaluation tab to probe its examples.</source>
        <translation>请先在“评估”标签页中评估一个分类模型，再探测其样本。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="329"/>
        <source>No examples to probe (text pairs are not probed): use templates.</source>
        <translation>没有可探测的样本（文本对不参与探测）：请使用模板。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="341"/>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="341"/>
        <source>Group</source>
        <translation>组</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="343"/>
        <source>gap</source>
        <translation>差距</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="348"/>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="348"/>
        <source>To</source>
        <translation>到</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="348"/>
        <source>Examples</source>
        <translation>样本数</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="348"/>
        <source>Flips</source>
        <translation>翻转数</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="349"/>
        <source>Flip rate</source>
        <translation>翻转率</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="349"/>
        <source>Mean shift</source>
        <translation>平均变化</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="376"/>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="376"/>
        <source>Changed text</source>
        <translation>改动后的文本</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="376"/>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="377"/>
        <source>Now</source>
        <translation>现在</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="377"/>
        <source>p before</source>
        <translation>改动前概率</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="377"/>
        <source>p after</source>
        <translation>改动后概率</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="389"/>
        <source>Run a probe: the texts whose predicted label changes are listed here.</source>
        <translation>运行一次探测：预测标签发生变化的文本会列在这里。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="391"/>
        <source>Templates change no text of the data: the table above gives each group&apos;s mean probabilities.</source>
        <translation>模板不改动数据中的文本：上表给出每组的平均概率。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="394"/>
        <source>{source} → {target}: no text changed its predicted label.</source>
        <translation>{source} → {target}：没有文本的预测标签发生变化。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="397"/>
        <source>{source} → {target}: 1 text changed its predicted label (double-click it to open it).</source>
        <translation>{source} → {target}：1 条文本的预测标签发生变化（双击可打开）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="399"/>
        <source>{source} → {target}: {count} texts changed their predicted label, {shown} listed (double-click one to open it).</source>
        <translation>{source} → {target}：{count} 条文本的预测标签发生变化，列出 {shown} 条（双击可打开）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="415"/>
        <source>Choose a term list</source>
        <translation>选择词表</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="416"/>
        <source>Term lists (*.json)</source>
        <translation>词表 (*.json)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="438"/>
        <source>HTML page (*.html)</source>
        <translation>HTML 页面 (*.html)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="438"/>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="439"/>
        <source>Export the probe report</source>
        <translation>导出探测报告</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="448"/>
        <source>Cannot write {file}: {error}</source>
        <translation>无法写入 {file}：{error}</translation>
    </message>
</context>
<context>
    <name>PublishDialog</name>
    <message>
        <location filename="../../workbench/gui/dialogs/publish_dialog.py" line="44"/>
        <source>Publish to the hub</source>
        <translation>发布到模型中心</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/publish_dialog.py" line="48"/>
        <source>a run folder with a final model</source>
        <translation>包含最终模型的运行文件夹</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/publish_dialog.py" line="50"/>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/publish_dialog.py" line="56"/>
        <source>name or your-name/name</source>
        <translation>名称 或 你的用户名/名称</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/publish_dialog.py" line="57"/>
        <source>&amp;Private repo</source>
        <translation>私有仓库(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/publish_dialog.py" line="58"/>
        <source>Use the token in $HF_TOKEN (otherwise the saved login)</source>
        <translation>使用 $HF_TOKEN 中的令牌(否则使用已保存的登录)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/publish_dialog.py" line="60"/>
        <source>Run:</source>
        <translation>运行:</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/publish_dialog.py" line="61"/>
        <source>Hub repo:</source>
        <translation>中心仓库:</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/publish_dialog.py" line="65"/>
        <source>Uploads model/ with its tokenizer and model card (README.md).</source>
        <translation>上传 model/ 及其分词器和模型卡(README.md)。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/publish_dialog.py" line="70"/>
        <source>&amp;Publish</source>
        <translation>发布(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/publish_dialog.py" line="71"/>
        <source>&amp;Cancel upload</source>
        <translation>取消上传(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/publish_dialog.py" line="85"/>
        <source>Choose a run folder and a repo name first.</source>
        <translation>请先选择运行文件夹和仓库名称。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/publish_dialog.py" line="90"/>
        <source>Checking the hub…</source>
        <translation>正在检查模型中心…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/publish_dialog.py" line="99"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/publish_dialog.py" line="105"/>
        <source>Publishing {files} files ({size} MB) to {repo}</source>
        <translation>正在将 {files} 个文件({size} MB)发布到 {repo}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/publish_dialog.py" line="108"/>
        <source> (model card written first)</source>
        <translation>(已先写入模型卡)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/publish_dialog.py" line="113"/>
        <source>Uploading to {repo}… {seconds} s</source>
        <translation>正在上传到 {repo}… {seconds} 秒</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/publish_dialog.py" line="116"/>
        <source>Creating the repo {repo}…</source>
        <translation>正在创建仓库 {repo}…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/publish_dialog.py" line="120"/>
        <source>Published: &lt;a href=&quot;{url}&quot;&gt;{url}&lt;/a&gt;</source>
        <translation>已发布:&lt;a href=&quot;{url}&quot;&gt;{url}&lt;/a&gt;</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/publish_dialog.py" line="139"/>
        <source>Choose a run folder</source>
        <translation>选择运行文件夹</translation>
    </message>
</context>
<context>
    <name>QAPlayground</name>
    <message>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="61"/>
        <source>No model loaded yet: load a question-answering run or model folder first.</source>
        <translation>尚未加载模型：请先加载一个问答运行或模型文件夹。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="143"/>
        <source>No model yet: load a question-answering run or model folder above.</source>
        <translation>尚无模型：请在上方加载问答运行或模型文件夹。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="146"/>
        <source>Paste a context first: the text the answer should be found in.</source>
        <translation>请先粘贴上下文：要在其中寻找答案的文本。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="150"/>
        <source>Type a question about the context, then press Enter.</source>
        <translation>输入一个关于上下文的问题，然后按 Enter。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="154"/>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="293"/>
        <source>Answering…</source>
        <translation>回答中…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="164"/>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="168"/>
        <source>Loading {spec}…</source>
        <translation>正在加载 {spec}…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="187"/>
        <source>Paste a context here: the paragraph the answer should be found in…</source>
        <translation>在这里粘贴上下文：要在其中寻找答案的段落…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="190"/>
        <source>The text to search. Paste any length: long texts are read in overlapping windows. The answer is highlighted here in yellow (grey: the best span, when &apos;no answer&apos; won). Ctrl+Enter asks.</source>
        <translation>要搜索的文本。长度不限：长文本会以重叠窗口的方式读取。答案在这里以黄色高亮（灰色：“无答案”胜出时的最佳片段）。按 Ctrl+Enter 提问。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="195"/>
        <source>Ask a question about the context, then press Enter</source>
        <translation>提出一个关于上下文的问题，然后按 Enter</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="196"/>
        <source>Your question. Enter asks it; Esc cancels a running answer.</source>
        <translation>你的问题。按 Enter 提问；按 Esc 取消正在进行的回答。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="197"/>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="293"/>
        <source>Ask</source>
        <translation>提问</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="199"/>
        <source>Find the answer in the context (Enter in the question, or Ctrl+Enter)</source>
        <translation>在上下文中寻找答案（在问题框中按 Enter，或按 Ctrl+Enter）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="205"/>
        <source>no-answer margin </source>
        <translation>无答案裕度 </translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="207"/>
        <source>Answer &apos;no answer&apos; when the no-answer score beats the best span&apos;s score by more than this. Higher: answers more often. Starts at the model&apos;s own value (tuned on its validation data when the run had some).</source>
        <translation>当无答案得分比最佳片段的得分高出超过此值时，回答“无答案”。值越高，给出答案越频繁。初始值为模型自己的值（运行有验证数据时在其上调定）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="212"/>
        <source>Question:</source>
        <translation>问题：</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="224"/>
        <source>The answer the model found in the context.</source>
        <translation>模型在上下文中找到的答案。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="228"/>
        <source>score: start + end logit of the answer span; probability: its share among the top candidates and &apos;no answer&apos;; no-answer score: start + end logit of the [CLS] position.</source>
        <translation>得分：答案片段的起点 logit + 终点 logit；概率：它在最佳候选和“无答案”中所占的比例；无答案得分：[CLS] 位置的起点 logit + 终点 logit。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="234"/>
        <source>What the playground is doing, and how long the last answer took.</source>
        <translation>试验场正在做什么，以及上一次回答的用时。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="237"/>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="279"/>
        <source>The context changed: ask again.</source>
        <translation>上下文已更改：请重新提问。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="289"/>
        <source>Loaded a {task} model. Paste a context and ask.</source>
        <translation>已加载一个 {task} 模型。请粘贴上下文并提问。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="301"/>
        <source>{windows} window(s) · {ms} ms</source>
        <translation>{windows} 个窗口 · {ms} 毫秒</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="306"/>
        <source>The context changed while answering: ask again.</source>
        <translation>回答期间上下文已更改：请重新提问。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="321"/>
        <source>Load a question-answering model to ask questions.</source>
        <translation>加载一个问答模型即可提问。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="331"/>
        <source>No answer in this context</source>
        <translation>此上下文中没有答案</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="336"/>
        <source>no-answer score {null} beats the best span “{span}” ({score}) by {margin}, more than the margin {threshold}</source>
        <translation>无答案得分 {null} 比最佳片段“{span}”（{score}）高 {margin}，超过了裕度 {threshold}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="345"/>
        <source>no-answer score {null}</source>
        <translation>无答案得分 {null}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="351"/>
        <source>score {score} · probability {probability} · no-answer score {null}</source>
        <translation>得分 {score} · 概率 {probability} · 无答案得分 {null}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/qa_playground.py" line="392"/>
        <source>Question answering</source>
        <translation>问答</translation>
    </message>
</context>
<context>
    <name>ResumeButton</name>
    <message>
        <location filename="../../workbench/gui/widgets/resume_button.py" line="28"/>
        <source>From the latest checkpoint</source>
        <translation>从最新检查点</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/resume_button.py" line="30"/>
        <source>From a checkpoint…</source>
        <translation>从指定检查点…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/resume_button.py" line="31"/>
        <source>Choose one of the run&apos;s intact checkpoints (step and time)</source>
        <translation>从该运行的完好检查点中选择一个（显示步数和时间）</translation>
    </message>
</context>
<context>
    <name>RunsPanel</name>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="145"/>
        <source>The folder whose run folders are listed; new runs are written here</source>
        <translation>列出其中运行文件夹的文件夹；新的运行也写到这里</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="146"/>
        <source>Workspace…</source>
        <translation>工作区…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="147"/>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="271"/>
        <source>Choose the workspace folder</source>
        <translation>选择工作区文件夹</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="148"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="149"/>
        <source>Scan the workspace again</source>
        <translation>重新扫描工作区</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="151"/>
        <source>Workspace:</source>
        <translation>工作区：</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="172"/>
        <source>Select several runs to draw their curves together; two to compare configs</source>
        <translation>选择多个运行可将其曲线画在一起；选择两个可比较配置</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="176"/>
        <source>Open in Training</source>
        <translation>在训练面板中打开</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="177"/>
        <source>Show the run in the training panel; a run still training is followed live and can be stopped there</source>
        <translation>在训练面板中显示该运行；仍在训练的运行会实时跟踪，并可在那里停止</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="179"/>
        <source>Open model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="180"/>
        <source>Use the run&apos;s model (or its latest checkpoint) in the prediction and attention panels</source>
        <translation>在预测和注意力面板中使用该运行的模型（或其最新检查点）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="183"/>
        <source>Compare configs</source>
        <translation>比较配置</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="184"/>
        <source>List the settings two selected runs differ in</source>
        <translation>列出两个所选运行之间不同的设置</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="185"/>
        <source>Archive…</source>
        <translation>归档…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="186"/>
        <source>Move the selected runs to the workspace&apos;s .archive folder</source>
        <translation>将所选运行移到工作区的 .archive 文件夹</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="187"/>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="188"/>
        <source>Delete the selected run folders, checkpoints and models</source>
        <translation>删除所选运行文件夹及其检查点和模型</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="203"/>
        <source>Settings that differ between the two selected runs</source>
        <translation>两个所选运行之间不同的设置</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="205"/>
        <source>Curves</source>
        <translation>曲线</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="206"/>
        <source>Config diff</source>
        <translation>配置差异</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="226"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="260"/>
        <source>Not a workspace</source>
        <translation>不是工作区</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="280"/>
        <source>The workspace {folder} does not exist yet: runs started from the training panel are written there.</source>
        <translation>工作区 {folder} 尚不存在：从训练面板启动的运行会写到那里。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="286"/>
        <source>Scanning {folder}…</source>
        <translation>正在扫描 {folder}…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="316"/>
        <source>{run} has no model or checkpoint yet.</source>
        <translation>{run} 还没有模型或检查点。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="324"/>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="327"/>
        <source>Select one stopped run to resume it.</source>
        <translation>选择一个已停止的运行即可继续它。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="358"/>
        <source>Select exactly two runs to compare their configs.</source>
        <translation>请恰好选择两个运行来比较它们的配置。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="395"/>
        <source>{count} run in {folder}, {running} running.</source>
        <translation>{folder} 中有 {count} 个运行，{running} 个正在运行。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="396"/>
        <source>{count} runs in {folder}, {running} running.</source>
        <translation>{folder} 中有 {count} 个运行，{running} 个正在运行。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="442"/>
        <source>Setting</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="447"/>
        <source>automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="451"/>
        <source>Settings that differ: {count}</source>
        <translation>不同的设置：{count} 项</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="452"/>
        <source>The two configs are the same (apart from the output folder).</source>
        <translation>两个配置相同（输出文件夹除外）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="477"/>
        <source>Stop {runs} first: a run that trains cannot be moved.</source>
        <translation>请先停止 {runs}：正在训练的运行无法移动。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="483"/>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="492"/>
        <source>Archive runs</source>
        <translation>归档运行</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="484"/>
        <source>Nothing was changed.</source>
        <translation>没有做任何更改。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="493"/>
        <source>Move these runs to {folder}?

{runs}</source>
        <translation>将这些运行移到 {folder}？

{runs}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="483"/>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="496"/>
        <source>Delete runs</source>
        <translation>删除运行</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="137"/>
        <source>The workspace was changed to {folder}: {problem}</source>
        <translation>工作区已改为 {folder}：{problem}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="497"/>
        <source>Delete these run folders with their checkpoints and models? This cannot be undone.

{runs}</source>
        <translation>删除这些运行文件夹及其检查点和模型？此操作无法撤销。

{runs}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="501"/>
        <source>Archiving…</source>
        <translation>正在归档…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="501"/>
        <source>Deleting…</source>
        <translation>正在删除…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="514"/>
        <source>{folder} is the workspace itself.</source>
        <translation>{folder} 就是工作区本身。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="519"/>
        <source>{folder} holds other runs, which would go with it:
{runs}
Archive or delete those first.</source>
        <translation>{folder} 中还有其他运行，它们会被一并移走：
{runs}
请先归档或删除这些运行。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/runs_panel.py" line="549"/>
        <source>Continue {run} from its latest checkpoint, in its own folder, with the settings it was started with (its config.json, not the panels&apos; current ones); the arrow chooses another checkpoint ({shortcut})</source>
        <translation>从最新检查点继续 {run}，在它自己的文件夹中按启动时的设置（它的 config.json，而非各面板当前的设置）；箭头可选择其他检查点（{shortcut}）</translation>
    </message>
</context>
<context>
    <name>RunsTableModel</name>
    <message>
        <location filename="../../workbench/gui/widgets/runs_model.py" line="34"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/runs_model.py" line="35"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/runs_model.py" line="36"/>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/runs_model.py" line="37"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/runs_model.py" line="38"/>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/runs_model.py" line="39"/>
        <source>Final metric</source>
        <translation>最终指标</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/runs_model.py" line="40"/>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/runs_model.py" line="41"/>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/runs_model.py" line="45"/>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/runs_model.py" line="46"/>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/runs_model.py" line="47"/>
        <source>finished (early stopping)</source>
        <translation>已完成（提前停止）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/runs_model.py" line="48"/>
        <source>finished (time limit)</source>
        <translation>已完成（达到时间上限）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/runs_model.py" line="49"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/runs_model.py" line="50"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/runs_model.py" line="51"/>
        <source>crashed</source>
        <translation>已崩溃</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/runs_model.py" line="52"/>
        <source>not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/runs_model.py" line="65"/>
        <source>{run} finished: nothing is left to train, so there is nothing to resume. Start a new run (with more epochs or steps) instead.</source>
        <translation>{run} 已完成：没有剩余的训练，因此无可继续。请改为开始一次新的运行（使用更多轮次或步数）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/runs_model.py" line="68"/>
        <source>{run} is still training; stop it first.</source>
        <translation>{run} 仍在训练；请先停止它。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/runs_model.py" line="70"/>
        <source>{run} has no intact checkpoint to resume from.</source>
        <translation>{run} 没有可用于继续的完好检查点。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/runs_model.py" line="189"/>
        <source>process {pid}</source>
        <translation>进程 {pid}</translation>
    </message>
</context>
<context>
    <name>SaliencyLegend</name>
    <message>
        <location filename="../../workbench/gui/widgets/saliency_view.py" line="116"/>
        <source>A word&apos;s colour is its attribution (for a word split into pieces, the sum of its pieces&apos;) divided by the sentence&apos;s largest one: full colour = that largest value, white = no effect.</source>
        <translation>每个词的颜色 = 它的归因值（被切成多个片段的词取各片段之和）除以句中最大的归因值：全色 = 该最大值，白色 = 无影响。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/saliency_view.py" line="130"/>
        <source>Green: towards “{label}”; red: away from it. Full colour: {scale}, the strongest word.</source>
        <translation>绿色：推向“{label}”；红色：推离它。全色：{scale}，即影响最强的词。</translation>
    </message>
</context>
<context>
    <name>SaliencyView</name>
    <message>
        <location filename="../../workbench/gui/widgets/saliency_view.py" line="178"/>
        <source>Explain with integrated gradients</source>
        <translation>用积分梯度解释</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/saliency_view.py" line="186"/>
        <source>Explain the predicted label, or pick another one to see what speaks for it.</source>
        <translation>解释预测的标签，或选择另一个标签，看看哪些词元支持它。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/saliency_view.py" line="188"/>
        <location filename="../../workbench/gui/widgets/saliency_view.py" line="228"/>
        <source>predicted label</source>
        <translation>预测标签</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/saliency_view.py" line="180"/>
        <source>Colour each word by how much it moved the chosen label&apos;s logit (integrated gradients, 48 steps from a [PAD] baseline; a word split into pieces gets the sum of its pieces&apos;). Green: towards the label; red: away from it.</source>
        <translation>按每个词对所选标签 logit 的影响为其着色（积分梯度，从 [PAD] 基线出发 48 步；被切成多个片段的词取各片段之和）。绿色：推向该标签；红色：推离该标签。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/saliency_view.py" line="193"/>
        <source>Hover a word for its attribution.</source>
        <translation>悬停在词上查看其归因值。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/saliency_view.py" line="198"/>
        <source>Completeness check: the attributions should add up to f(input) − f(baseline); delta is the gap. A large delta means more steps are needed.</source>
        <translation>完整性检查：归因值之和应等于 f(输入) − f(基线)；delta 是两者之差。delta 较大说明需要更多步数。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/saliency_view.py" line="203"/>
        <source>for</source>
        <translation>针对</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/saliency_view.py" line="235"/>
        <source>explaining…</source>
        <translation>正在解释…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/saliency_view.py" line="244"/>
        <source>for “{label}” · sum of attributions {total}</source>
        <translation>针对“{label}”· 归因值之和 {total}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/saliency_view.py" line="248"/>
        <source>completeness delta {delta}</source>
        <translation>完整性 delta {delta}</translation>
    </message>
</context>
<context>
    <name>Seq2SeqControls</name>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_playground.py" line="101"/>
        <source>Greedy</source>
        <translation>贪心</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_playground.py" line="101"/>
        <source>Beam search</source>
        <translation>束搜索</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_playground.py" line="102"/>
        <source>Sampling</source>
        <translation>采样</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_playground.py" line="105"/>
        <source>How each output token is chosen. Greedy: the most likely one, streamed as it comes. Beam search: the best of several candidate outputs; it cannot stream, the output shows when done. Sampling: drawn at random (temperature, top-k, top-p), streamed.</source>
        <translation>每个输出词元的选择方式。贪心：选最可能的词元，边生成边显示。束搜索：从多个候选输出中选最佳；无法流式显示，完成后才显示输出。采样：随机抽取（温度、top-k、top-p），边生成边显示。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_playground.py" line="109"/>
        <source>Beam search: how many candidate outputs are kept.</source>
        <translation>束搜索：保留多少个候选输出。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_playground.py" line="111"/>
        <source>Beam search: above 1 favours longer outputs, below 1 shorter ones.</source>
        <translation>束搜索：大于 1 偏向较长的输出，小于 1 偏向较短的输出。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_playground.py" line="113"/>
        <source>Beam search: no n-gram of this size appears twice in the output; 0 = off.</source>
        <translation>束搜索：输出中此长度的 n-gram 不会出现两次；0 = 关闭。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_playground.py" line="114"/>
        <location filename="../../workbench/gui/widgets/seq2seq_playground.py" line="118"/>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_playground.py" line="116"/>
        <source>Sampling: how adventurous each choice is; 0.7-1.0 gives varied text, towards 2 noise.</source>
        <translation>采样：每次选择的冒险程度；0.7-1.0 生成多样的文本，接近 2 则成为噪声。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_playground.py" line="117"/>
        <source>Sampling: only among the k most likely tokens; 0 = off.</source>
        <translation>采样：只在最可能的 k 个词元中抽取；0 = 关闭。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_playground.py" line="120"/>
        <source>Sampling: only among the most likely tokens whose probabilities add up to this; 1.00 = off.</source>
        <translation>采样：只在概率累加达到此值的最可能词元中抽取；1.00 = 关闭。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_playground.py" line="121"/>
        <source>Stop generating now; the output so far is kept (Esc).</source>
        <translation>立即停止生成；保留已生成的输出（Esc）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_playground.py" line="122"/>
        <source>Tokens generated, time, and why the generation ended.</source>
        <translation>已生成的词元数、用时以及生成结束的原因。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_playground.py" line="127"/>
        <source>Beams</source>
        <translation>束数</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_playground.py" line="127"/>
        <source>Length penalty</source>
        <translation>长度惩罚</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_playground.py" line="128"/>
        <source>No-repeat n-gram</source>
        <translation>不重复 n-gram</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_playground.py" line="129"/>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_playground.py" line="129"/>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_playground.py" line="130"/>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_playground.py" line="170"/>
        <source>{tokens} tokens in {seconds} s</source>
        <translation>{seconds} 秒内生成 {tokens} 个词元</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_playground.py" line="173"/>
        <source>seed {seed}</source>
        <translation>种子 {seed}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_playground.py" line="175"/>
        <source>stopped on request</source>
        <translation>已按要求停止</translation>
    </message>
</context>
<context>
    <name>Seq2SeqResults</name>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_results.py" line="125"/>
        <source>Metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_results.py" line="125"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_results.py" line="125"/>
        <source>95% interval</source>
        <translation>95% 区间</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_results.py" line="130"/>
        <source>Corpus scores of the generated outputs against their references (0-100; distinct-n: a share). The interval is a 95% percentile bootstrap: the examples resampled 1,000 times.</source>
        <translation>生成输出相对参考译文的语料级得分（0-100；distinct-n 为比例）。区间为 95% 百分位自助法区间：对样本重抽样 1,000 次。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_results.py" line="147"/>
        <source>Every example generated for, the lowest sentence score first; scores under 20 are shaded. Double-click or Enter opens the source in the prediction panel.</source>
        <translation>所有生成过输出的样本，句子得分最低的在前；低于 20 分的行加底色。双击或按 Enter 在预测面板中打开其源文本。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_results.py" line="163"/>
        <source>Which examples the table lists.</source>
        <translation>表格列出哪些样本。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_results.py" line="193"/>
        <source>{count} output · the lowest {metric} first</source>
        <translation>{count} 条输出 · {metric} 最低的在前</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_results.py" line="194"/>
        <source>{count} outputs · the lowest {metric} first</source>
        <translation>{count} 条输出 · {metric} 最低的在前</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_results.py" line="225"/>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/seq2seq_results.py" line="225"/>
        <source>Perplexity</source>
        <translation>困惑度</translation>
    </message>
</context>
<context>
    <name>SlicesView</name>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="46"/>
        <source>Regular expression</source>
        <translation>正则表达式</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="47"/>
        <source>a pattern, case-insensitive, e.g. \bnot\b</source>
        <translation>一个模式，不区分大小写，例如 \bnot\b</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="48"/>
        <source>Keywords</source>
        <translation>关键词</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="49"/>
        <source>whole words, comma-separated, e.g. film, movie</source>
        <translation>完整单词，用逗号分隔，例如 film, movie</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="50"/>
        <source>Column value</source>
        <translation>列值</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="51"/>
        <source>COLUMN=VALUE of the data file, e.g. source=web</source>
        <translation>数据文件的 列=值，例如 source=web</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="52"/>
        <source>Length (words)</source>
        <translation>长度（词数）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="53"/>
        <source>LO-HI words (Chinese: characters), e.g. 0-10 or 30-</source>
        <translation>最小-最大词数（中文按字数），例如 0-10 或 30-</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="54"/>
        <source>Gold label</source>
        <translation>真实标签</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="54"/>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="56"/>
        <source>a label name</source>
        <translation>一个标签名</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="55"/>
        <source>Predicted label</source>
        <translation>预测标签</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="57"/>
        <source>Ids or lines</source>
        <translation>ID 或行号</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="58"/>
        <source>file line numbers or ids, comma-separated, or a file of them</source>
        <translation>文件行号或 ID，用逗号分隔，或包含它们的文件</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="59"/>
        <source>Example numbers</source>
        <translation>样本编号</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="60"/>
        <source>example indices (0 = the first), comma-separated</source>
        <translation>样本序号（0 为第一个），用逗号分隔</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="106"/>
        <source>name (optional)</source>
        <translation>名称（可选）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="108"/>
        <source>Add slice</source>
        <translation>添加切片</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="111"/>
        <source>File…</source>
        <translation>文件…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="112"/>
        <source>Choose a file of ids or line numbers, one per line.</source>
        <translation>选择一个文件，每行一个 id 或行号。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="115"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="116"/>
        <source>Remove the chosen slice (the suggested ones come back each time).</source>
        <translation>移除所选切片（建议的切片每次都会重新出现）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="127"/>
        <source>Bootstrap resamples per slice for the confidence interval (0: no intervals, no flags).</source>
        <translation>每个切片用于置信区间的自助法重采样次数（0：不计算区间，也不标记）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="129"/>
        <source>Recompute</source>
        <translation>重新计算</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="131"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="139"/>
        <source>Resamples:</source>
        <translation>重采样次数：</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="147"/>
        <source>Slice</source>
        <translation>切片</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="147"/>
        <source>Definition</source>
        <translation>定义</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="147"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="147"/>
        <source>Metric [interval]</source>
        <translation>指标 [区间]</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="148"/>
        <source>Gap</source>
        <translation>差距</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="148"/>
        <source>Flagged</source>
        <translation>已标记</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="150"/>
        <source>Flagged: the whole set&apos;s value lies outside the slice&apos;s confidence interval, so the difference is unlikely to be chance alone. With many slices a few are flagged by chance.</source>
        <translation>已标记：整个数据集的值落在该切片的置信区间之外，因此这一差异不太可能仅由偶然造成。切片很多时，会有少数切片因偶然而被标记。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="163"/>
        <source>The chosen slice&apos;s examples; double-click one to open it in the Prediction tab.</source>
        <translation>所选切片的样本；双击一个样本可在“预测”标签页中打开。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="185"/>
        <source>Choose a file of ids or line numbers</source>
        <translation>选择 id 或行号文件</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="200"/>
        <source>Evaluate a model in the Evaluation tab: its slices show here.</source>
        <translation>请先在“评估”标签页中评估模型：其切片将显示在这里。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="202"/>
        <source>Computing the slices…</source>
        <translation>正在计算切片…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="206"/>
        <source>{count} slice, {flagged} flagged.</source>
        <translation>{count} 个切片，{flagged} 个已标记。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="207"/>
        <source>{count} slices, {flagged} flagged.</source>
        <translation>{count} 个切片，{flagged} 个已标记。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="261"/>
        <source>Type what the slice selects first: {what}.</source>
        <translation>请先输入切片选择的内容：{what}。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="345"/>
        <source>The slices could not be saved in the run folder: {error}</source>
        <translation>无法将切片保存到运行文件夹：{error}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="378"/>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="411"/>
        <source>All examples</source>
        <translation>全部样本</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="384"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="393"/>
        <source>Suggested: one slice per gold label and per length quartile.</source>
        <translation>建议的切片：每个真实标签一个，每个长度四分位区间一个。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="397"/>
        <source>{metric} [interval]</source>
        <translation>{metric} [区间]</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/slices_view.py" line="412"/>
        <source>{name}: {count} examples (double-click one to open it)</source>
        <translation>{name}：{count} 个样本（双击一个即可打开）</translation>
    </message>
</context>
<context>
    <name>StreamingControls</name>
    <message>
        <location filename="../../workbench/gui/widgets/streaming_controls.py" line="60"/>
        <source>No model loaded yet: load a run or model folder first.</source>
        <translation>尚未加载模型：请先加载一个运行或模型文件夹。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/streaming_controls.py" line="120"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/streaming_controls.py" line="225"/>
        <source>generating…</source>
        <translation>生成中…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/streaming_controls.py" line="305"/>
        <source>Generation failed.</source>
        <translation>生成失败。</translation>
    </message>
</context>
<context>
    <name>SystemCheckDialog</name>
    <message>
        <location filename="../../workbench/gui/dialogs/system_check_dialog.py" line="41"/>
        <source>System check</source>
        <translation>系统检查</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/system_check_dialog.py" line="55"/>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/system_check_dialog.py" line="56"/>
        <source>Copy the report, to paste it into a bug report</source>
        <translation>复制报告，以便粘贴到问题报告中</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/system_check_dialog.py" line="59"/>
        <source>Check &amp;again</source>
        <translation>重新检查(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/system_check_dialog.py" line="108"/>
        <source>The report is on the clipboard.</source>
        <translation>报告已复制到剪贴板。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/system_check_dialog.py" line="112"/>
        <source>The system check failed:</source>
        <translation>系统检查失败：</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/system_check_dialog.py" line="114"/>
        <source>Checking this machine (a few seconds)…</source>
        <translation>正在检查本机（需要几秒钟）…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/system_check_dialog.py" line="120"/>
        <source>{problems} problem(s), {warnings} warning(s): each has its fix below.</source>
        <translation>{problems} 个问题，{warnings} 个警告：各自的解决方法见下方。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/dialogs/system_check_dialog.py" line="124"/>
        <source>Everything the workbench needs is here.</source>
        <translation>Workbench 所需的一切均已就绪。</translation>
    </message>
</context>
<context>
    <name>TableModel</name>
    <message>
        <location filename="../../workbench/gui/widgets/table_model.py" line="32"/>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/table_model.py" line="33"/>
        <source>text pair</source>
        <translation>文本对</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/table_model.py" line="34"/>
        <source>label</source>
        <translation>标签</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/table_model.py" line="35"/>
        <source>words</source>
        <translation>词</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/table_model.py" line="36"/>
        <source>tags</source>
        <translation>标注</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/table_model.py" line="37"/>
        <source>source</source>
        <translation>源文本</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/table_model.py" line="38"/>
        <source>target</source>
        <translation>目标文本</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/table_model.py" line="119"/>
        <source>Line in the file where this row starts</source>
        <translation>该行在文件中的起始行号</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/table_model.py" line="133"/>
        <source>Column {column}, used as the {role}</source>
        <translation>列 {column}，用作{role}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/table_model.py" line="136"/>
        <source>Column {column} (not used)</source>
        <translation>列 {column}（未使用）</translation>
    </message>
</context>
<context>
    <name>TermListDialog</name>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="74"/>
        <source>Edit terms</source>
        <translation>编辑词表</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="86"/>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="90"/>
        <source>Groups of terms per language, aligned by position: the n-th term of one group is swapped for the n-th term of another. English terms match whole words, Chinese terms any part of a text.</source>
        <translation>按语言分组的词语，按位置对齐：一组的第 n 个词替换为另一组的第 n 个词。英文词按整词匹配，中文词匹配文本中的任意部分。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="100"/>
        <source>Give the list a name of its own (letters, digits, - and _).</source>
        <translation>请为词表另取一个名称（字母、数字、- 和 _）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/probes_view.py" line="106"/>
        <source>Not valid JSON: {error}</source>
        <translation>不是有效的 JSON：{error}</translation>
    </message>
</context>
<context>
    <name>TokenChips</name>
    <message>
        <location filename="../../workbench/gui/widgets/token_chips.py" line="178"/>
        <source>token {token}   id {id}</source>
        <translation>词元 {token}   ID {id}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/token_chips.py" line="180"/>
        <source>special token (added by the tokenizer, not in the text)</source>
        <translation>特殊词元（由分词器添加，不在文本中）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/token_chips.py" line="183"/>
        <source>characters {start}-{end}: {text}</source>
        <translation>字符 {start}-{end}：{text}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/token_chips.py" line="190"/>
        <source>word {number}: {text}</source>
        <translation>第 {number} 个词：{text}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/token_chips.py" line="195"/>
        <source>UNKNOWN: the vocabulary cannot represent these characters</source>
        <translation>未知：词表无法表示这些字符</translation>
    </message>
</context>
<context>
    <name>TokenizerPanel</name>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="79"/>
        <source>WordPiece, as BERT: BERT&apos;s normaliser (each Chinese character its own token), &apos;##&apos; marks a piece that continues a word; rare words may become [UNK]</source>
        <translation>WordPiece，与 BERT 相同：使用 BERT 的规范化（每个汉字单独成为一个词元），&apos;##&apos; 表示接续一个词的片段；罕见词可能变成 [UNK]</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="84"/>
        <source>Byte-level BPE, as GPT-2: works on UTF-8 bytes, so it never produces an unknown token</source>
        <translation>字节级 BPE，与 GPT-2 相同：基于 UTF-8 字节，因此永远不会产生未知词元</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="88"/>
        <source>Unigram, as SentencePiece: &apos;▁&apos; marks a word start; learns multi-character Chinese words</source>
        <translation>Unigram，与 SentencePiece 相同：&apos;▁&apos; 表示词首；能学到由多个汉字组成的中文词</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="96"/>
        <source>kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="97"/>
        <source>vocabulary</source>
        <translation>词表</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="98"/>
        <source>words</source>
        <translation>词数</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="99"/>
        <source>tokens</source>
        <translation>词元数</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="100"/>
        <source>tokens per word</source>
        <translation>每词词元数</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="101"/>
        <source>chars per token</source>
        <translation>每词元字符数</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="102"/>
        <source>unknown tokens</source>
        <translation>未知词元</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="103"/>
        <source>words split</source>
        <translation>被切分的词</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="104"/>
        <source>vocab used</source>
        <translation>词表使用量</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="131"/>
        <source>Reading {file}…</source>
        <translation>正在读取 {file}…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="135"/>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="598"/>
        <source>Loading {folder}…</source>
        <translation>正在加载 {folder}…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="140"/>
        <source>Choose a corpus file to train the tokenizer on (Corpus…).</source>
        <translation>请选择用于训练分词器的语料文件（语料…）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="155"/>
        <source>Counting tokens…</source>
        <translation>正在统计词元…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="158"/>
        <source>Comparing…</source>
        <translation>正在比较…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="162"/>
        <source>B is loaded: choose a corpus to compare the two reports</source>
        <translation>B 已加载：请选择语料以比较两份报告</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="268"/>
        <source>C&amp;orpus…</source>
        <translation>语料(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="270"/>
        <source>Choose the text to train on: a plain-text file (one text per line), or a CSV, TSV, JSONL or CoNLL file (its text column). Default: the file open in the Dataset tab.</source>
        <translation>选择用于训练的文本：纯文本文件（每行一段文本），或 CSV、TSV、JSONL、CoNLL 文件（取其文本列）。默认：“数据集”标签页中打开的文件。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="275"/>
        <source>No corpus — choose a file, or open a dataset in the Dataset tab</source>
        <translation>没有语料 — 请选择一个文件，或在“数据集”标签页中打开数据集</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="278"/>
        <source>The corpus the tokenizer is trained on and measured against</source>
        <translation>用于训练分词器并对其进行统计的语料</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="284"/>
        <source>Byte-level BPE</source>
        <translation>字节级 BPE</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="290"/>
        <source>The tokenizer model to train (hover an entry for what it does)</source>
        <translation>要训练的分词器模型（悬停在选项上可查看说明）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="297"/>
        <source>Vocabulary size, special tokens included. A small corpus may give fewer tokens; every character of the corpus needs a place, so Chinese text needs a few thousand at least.</source>
        <translation>词表大小，包括特殊词元。语料较小时得到的词元可能更少；语料中的每个字符都需要占一个位置，因此中文文本至少需要几千。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="301"/>
        <source>Lo&amp;wercase</source>
        <translation>转小写(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="303"/>
        <source>Lowercase the text before splitting (BERT uncased does; GPT-2 and SentencePiece keep case)</source>
        <translation>切分前把文本转为小写（BERT uncased 会这样做；GPT-2 和 SentencePiece 保留大小写）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="307"/>
        <source>Special tokens, in id order, separated by spaces or commas. Recognised roles: [PAD]/&lt;pad&gt;, [UNK]/&lt;unk&gt;, [CLS]/&lt;s&gt;, [SEP]/&lt;/s&gt;, [MASK]/&lt;mask&gt;, &lt;|endoftext|&gt;; others become extra special tokens.</source>
        <translation>特殊词元，按 ID 顺序，用空格或逗号分隔。可识别的角色：[PAD]/&lt;pad&gt;、[UNK]/&lt;unk&gt;、[CLS]/&lt;s&gt;、[SEP]/&lt;/s&gt;、[MASK]/&lt;mask&gt;、&lt;|endoftext|&gt;；其他的成为额外的特殊词元。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="311"/>
        <source>&amp;Train</source>
        <translation>训练(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="313"/>
        <source>Train a tokenizer on the corpus with these settings (Ctrl+Return)</source>
        <translation>用这些设置在语料上训练分词器（Ctrl+Return）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="316"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="318"/>
        <source>Stop the running task (Esc). Reading stops at once; the final learning step of `tokenizers` cannot be interrupted and ends in the background.</source>
        <translation>停止正在运行的任务（Esc）。读取会立即停止；`tokenizers` 最后的学习步骤无法中断，会在后台结束。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="322"/>
        <source>&amp;Load…</source>
        <translation>加载(&amp;L)…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="324"/>
        <source>Inspect an existing tokenizer: a folder saved here, a model folder or a run folder</source>
        <translation>查看已有的分词器：在这里保存的文件夹、模型文件夹或运行文件夹</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="327"/>
        <source>&amp;Save…</source>
        <translation>保存(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="329"/>
        <source>Save the tokenizer as a folder (tokenizer.json, tokenizer_config.json, special_tokens_map.json) that transformers&apos; AutoTokenizer loads, and that from-scratch presets can use (Ctrl+Shift+S)</source>
        <translation>将分词器保存为文件夹（tokenizer.json、tokenizer_config.json、special_tokens_map.json），transformers 的 AutoTokenizer 可以加载它，从零开始的预设也可以使用它（Ctrl+Shift+S）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="336"/>
        <source>Texts handed to the trainer; then the vocabulary is learned (no steps to show)</source>
        <translation>已交给训练器的文本数；之后学习词表（没有可显示的步数）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="340"/>
        <source>What the panel is doing</source>
        <translation>面板正在做什么</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="347"/>
        <source>Train a tokenizer</source>
        <translation>训练分词器</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="351"/>
        <source>&amp;Kind</source>
        <translation>类型(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="353"/>
        <source>Vocab si&amp;ze</source>
        <translation>词表大小(&amp;Z)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="356"/>
        <source>S&amp;pecial tokens</source>
        <translation>特殊词元(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="371"/>
        <source>Search tokens (Ctrl+F)</source>
        <translation>搜索词元（Ctrl+F）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="375"/>
        <source>Show only tokens containing this text (case-insensitive)</source>
        <translation>只显示包含此文本的词元（不区分大小写）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="391"/>
        <source>The vocabulary; click a header to sort (by count: the most frequent first)</source>
        <translation>词表；点击表头排序（按次数：最常见的在前）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="393"/>
        <source>Vocabulary</source>
        <translation>词表</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="403"/>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="909"/>
        <source>Type a sentence to see how it splits</source>
        <translation>输入一个句子，查看它如何切分</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="405"/>
        <source>The split below follows as you type; unknown tokens are red. While the field is empty, the corpus&apos;s first row (shown greyed) is split</source>
        <translation>下方的切分随输入实时更新；未知词元显示为红色。输入框为空时，切分的是语料的第一行（以灰色显示）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="409"/>
        <source>Train or load a tokenizer to see the split</source>
        <translation>训练或加载一个分词器即可查看切分</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="413"/>
        <source>Tokens of the sentence (special tokens included) and the words they cover</source>
        <translation>句子的词元（包括特殊词元）及其覆盖的词</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="416"/>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="455"/>
        <source>Measure</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="416"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="417"/>
        <source>The tokenizer over the corpus sample (specials not counted)</source>
        <translation>分词器在语料样本上的统计（不计特殊词元）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="421"/>
        <source>The most frequent tokens in the corpus sample</source>
        <translation>语料样本中最常见的词元</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="432"/>
        <source>Co&amp;mpare with…</source>
        <translation>比较(&amp;M)…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="434"/>
        <source>Compare the current tokenizer (A) with a second one (B) on the same corpus: load a folder, or train one with the settings above (change the kind or size first)</source>
        <translation>在同一语料上比较当前分词器（A）和另一个分词器（B）：加载一个文件夹，或用上面的设置训练一个（先更改类型或大小）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="440"/>
        <source>Tokenizer folder…</source>
        <translation>分词器文件夹…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="442"/>
        <source>A folder saved here, a model folder or a run folder</source>
        <translation>在这里保存的文件夹、模型文件夹或运行文件夹</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="444"/>
        <source>Train with the settings above</source>
        <translation>用上面的设置训练</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="447"/>
        <source>Train B on the same corpus with the kind, size and options above</source>
        <translation>用上面的类型、大小和选项在同一语料上训练 B</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="450"/>
        <source>B: none</source>
        <translation>B：无</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="451"/>
        <source>The tokenizer compared with the current one</source>
        <translation>与当前分词器比较的分词器</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="453"/>
        <source>B: choose one with Compare with…</source>
        <translation>B：用“比较…”选择一个</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="455"/>
        <source>Both tokenizers over the same corpus sample</source>
        <translation>两个分词器在同一语料样本上的统计</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="458"/>
        <source>Sentences whose token boundaries (or unknown tokens) differ</source>
        <translation>词元边界（或未知词元）不同的句子</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="460"/>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="461"/>
        <source>Sentences split differently; click one to show its chips above</source>
        <translation>切分不同的句子；点击一个可在上方显示它的词元块</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="480"/>
        <source>Inspect</source>
        <translation>查看</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="481"/>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="485"/>
        <source>Sampl&amp;e sentence</source>
        <translation>示例句子(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="585"/>
        <source>Training…</source>
        <translation>训练中…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="625"/>
        <source>Saving {folder}…</source>
        <translation>正在保存 {folder}…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="640"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="657"/>
        <source>Choose a corpus</source>
        <translation>选择语料</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="665"/>
        <source>Load a tokenizer, model or run folder</source>
        <translation>加载分词器、模型或运行文件夹</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="673"/>
        <source>Compare with a tokenizer folder</source>
        <translation>与一个分词器文件夹比较</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="687"/>
        <source>Save the tokenizer as a folder</source>
        <translation>将分词器保存为文件夹</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="689"/>
        <source>Tokenizer folder (*)</source>
        <translation>分词器文件夹 (*)</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="735"/>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="779"/>
        <source>Vocabulary: {count} tokens ({name})</source>
        <translation>词表：{count} 个词元（{name}）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="747"/>
        <source>B: {name} ({kind}, {size} tokens)</source>
        <translation>B：{name}（{kind}，{size} 个词元）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="757"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="766"/>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="768"/>
        <source>Ready: {name} ({kind}, {size} tokens)</source>
        <translation>就绪：{name}（{kind}，{size} 个词元）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="772"/>
        <source>Ready: {name}</source>
        <translation>就绪：{name}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="776"/>
        <source>Saved {folder}</source>
        <translation>已保存 {folder}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="800"/>
        <source>choose a file to train on</source>
        <translation>请选择用于训练的文件</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="816"/>
        <source>Train or load a tokenizer first: it is A, the one B is compared with.</source>
        <translation>请先训练或加载一个分词器：它就是 A，B 将与它比较。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="821"/>
        <source>Preparing the comparison…</source>
        <translation>正在准备比较…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="835"/>
        <source>Learning the vocabulary from {count} texts…</source>
        <translation>正在从 {count} 段文本中学习词表…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="841"/>
        <source>%v / %m texts</source>
        <translation>%v / %m 段文本</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="842"/>
        <source>Reading the corpus…</source>
        <translation>正在读取语料…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="859"/>
        <source>Most frequent: {tokens}</source>
        <translation>最常见：{tokens}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="872"/>
        <source>{used} of {size}</source>
        <translation>{used} / {size}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="885"/>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="974"/>
        <source>{differing} of {sentences} texts split differently</source>
        <translation>{sentences} 段文本中有 {differing} 段切分不同</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="889"/>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="978"/>
        <source> (the first {count} below)</source>
        <translation>（下方列出前 {count} 段）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="931"/>
        <source>{tokens} tokens for {words} word</source>
        <translation>{words} 个词，{tokens} 个词元</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="933"/>
        <source>{tokens} tokens for {words} words</source>
        <translation>{words} 个词，{tokens} 个词元</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="936"/>
        <source> ({ratio} per word)</source>
        <translation>（每词 {ratio} 个）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="938"/>
        <source>, {unknown} unknown</source>
        <translation>，{unknown} 个未知</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="940"/>
        <source> (the first {count} characters)</source>
        <translation>（仅前 {count} 个字符）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="948"/>
        <source>, column {column}</source>
        <translation>，列 {column}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/tokenizer_panel.py" line="949"/>
        <source> (from the Dataset tab)</source>
        <translation>（来自“数据集”标签页）</translation>
    </message>
</context>
<context>
    <name>TrainingCurves</name>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="312"/>
        <source>step</source>
        <translation>步数</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="480"/>
        <source>train loss ({run})</source>
        <translation>训练损失（{run}）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="485"/>
        <source>train loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="481"/>
        <source>validation loss ({run})</source>
        <translation>验证损失（{run}）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="486"/>
        <source>validation loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="618"/>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="59"/>
        <location filename="../../workbench/gui/widgets/curves.py" line="618"/>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="60"/>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="61"/>
        <source>precision</source>
        <translation>精确率</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="62"/>
        <source>recall</source>
        <translation>召回率</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="63"/>
        <source>f1</source>
        <translation>F1 值</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="64"/>
        <source>f1 micro</source>
        <translation>微平均 F1 值</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="65"/>
        <source>f1 macro</source>
        <translation>宏平均 F1 值</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="66"/>
        <source>entity f1</source>
        <translation>实体 F1 值</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="67"/>
        <source>f1 weighted</source>
        <translation>加权 F1 值</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="68"/>
        <source>subset accuracy</source>
        <translation>子集准确率</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="69"/>
        <source>exact match</source>
        <translation>完全匹配率</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="70"/>
        <source>perplexity</source>
        <translation>困惑度</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="71"/>
        <source>masked accuracy</source>
        <translation>掩码准确率</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="72"/>
        <source>next token accuracy</source>
        <translation>下一词元准确率</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="73"/>
        <source>nsp accuracy</source>
        <translation>下一句预测准确率</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="74"/>
        <source>unigram masked accuracy</source>
        <translation>一元语法掩码准确率</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="75"/>
        <source>unigram next token accuracy</source>
        <translation>一元语法下一词元准确率</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="76"/>
        <source>unigram perplexity</source>
        <translation>一元语法困惑度</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="301"/>
        <source>+{count} more</source>
        <translation>另有 {count} 条</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="326"/>
        <source>Click an entry to hide or show its curve. Solid: the run in progress (or the last one); faded: earlier runs of this session; dashed: runs opened from a folder, named after it. A hollow diamond is an evaluation off the eval_every schedule: at the end of an epoch or of the run.</source>
        <translation>点击图例项可隐藏或显示其曲线。实线：正在进行的运行（或最近一次）；淡色：本次会话中较早的运行；虚线：从文件夹打开的运行，以文件夹命名。空心菱形表示 eval_every 计划之外的评估：在一轮结束或运行结束时。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="487"/>
        <source>this run</source>
        <translation>本次运行</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="619"/>
        <source>Validation metric</source>
        <translation>验证指标</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="619"/>
        <source>metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="620"/>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="620"/>
        <source>lr</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="662"/>
        <source>earlier run</source>
        <translation>较早的运行</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="746"/>
        <source>off-schedule evaluation (epoch or run end)</source>
        <translation>计划外评估（一轮或运行结束时）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/curves.py" line="753"/>
        <source>Validation {metric}</source>
        <translation>验证{metric}</translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="168"/>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="169"/>
        <source>Start training with the dataset and model settings (F5)</source>
        <translation>用当前数据集和模型设置开始训练（F5）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="170"/>
        <location filename="../../workbench/gui/panels/training_panel.py" line="901"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="171"/>
        <source>Pause at the next step boundary; press again to resume (F6)</source>
        <translation>在下一步边界处暂停；再按一次继续（F6）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="172"/>
        <location filename="../../workbench/gui/panels/training_panel.py" line="905"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="174"/>
        <location filename="../../workbench/gui/panels/training_panel.py" line="907"/>
        <source>Stop at the next step boundary and save a checkpoint (Shift+F5)</source>
        <translation>在下一步边界处停止并保存检查点（Shift+F5）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="176"/>
        <source>Save checkpoint now</source>
        <translation>立即保存检查点</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="178"/>
        <source>Write a resumable checkpoint at the next step boundary (Ctrl+S)</source>
        <translation>在下一步边界处写入可恢复的检查点（Ctrl+S）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="183"/>
        <source>Overlay run…</source>
        <translation>叠加运行…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="191"/>
        <source>Remove overlay</source>
        <translation>移除叠加</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="192"/>
        <source>Take one overlaid run (or all of them) off the plots</source>
        <translation>从图中移除一个（或全部）叠加的运行</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="195"/>
        <source>Clear curves</source>
        <translation>清除曲线</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="196"/>
        <source>Remove all curves, including earlier runs</source>
        <translation>移除所有曲线，包括之前的运行</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="216"/>
        <source>%v / %m steps</source>
        <translation>%v / %m 步</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="218"/>
        <source>Idle. Load a dataset, choose a model, then press Start.</source>
        <translation>空闲。请加载数据集、选择模型，然后按“开始”。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="226"/>
        <source>Why the last run folder could not be overlaid</source>
        <translation>上一个运行文件夹无法叠加的原因</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="233"/>
        <source>Events of the run appear here.</source>
        <translation>运行中的事件显示在这里。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="271"/>
        <source>Cannot start: {reasons}</source>
        <translation>无法开始：{reasons}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="365"/>
        <source>Starting: {model} on {data} -&gt; {output}</source>
        <translation>开始：{model}，数据 {data} -&gt; {output}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="326"/>
        <location filename="../../workbench/gui/panels/training_panel.py" line="369"/>
        <source>preparing</source>
        <translation>准备中</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="180"/>
        <source>Resume run</source>
        <translation>继续运行</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="186"/>
        <source>Draw a finished run&apos;s loss and validation curves (dashed, named after its folder) beside the live ones, e.g. a BiLSTM baseline next to a transformer ({shortcut})</source>
        <translation>把一个已完成运行的损失曲线和验证曲线（虚线，以其文件夹命名）画在实时曲线旁，例如把 BiLSTM 基线与 Transformer 对比（{shortcut}）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="324"/>
        <source>Resuming {folder} from {checkpoint}, with the settings it was started with.</source>
        <translation>正在按启动时的设置，从 {checkpoint} 继续 {folder}。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="325"/>
        <source>its latest checkpoint</source>
        <translation>其最新检查点</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="392"/>
        <source>pausing…</source>
        <translation>正在暂停…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="404"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="405"/>
        <source>Stopped before the resumed run began; nothing was changed.</source>
        <translation>在继续的运行开始之前已停止；没有做任何更改。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="414"/>
        <location filename="../../workbench/gui/panels/training_panel.py" line="586"/>
        <source>stopping at the next step…</source>
        <translation>将在下一步停止…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="416"/>
        <source>Stop requested: the run stops at the next step boundary and saves a checkpoint.</source>
        <translation>已请求停止：运行将在下一步边界处停止并保存检查点。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="423"/>
        <source>Checkpoint requested.</source>
        <translation>已请求保存检查点。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="448"/>
        <source>Overlay a run folder&apos;s curves</source>
        <translation>叠加一个运行文件夹的曲线</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="459"/>
        <source>Reading the curves of {folder}…</source>
        <translation>正在读取 {folder} 的曲线…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="496"/>
        <source>Separate process</source>
        <translation>独立进程</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="498"/>
        <source>Start the run as its own process (workbench train): it keeps training when this window closes, and File ▸ Open run… follows it again ({shortcut})</source>
        <translation>以独立进程启动运行（workbench train）：关闭此窗口后它会继续训练，“文件 ▸ 打开运行…”可重新跟踪它（{shortcut}）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="509"/>
        <source>GPUs: </source>
        <translation>GPU 数：</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="511"/>
        <source>Processes for a separate-process run: more than one trains on several local GPUs with torchrun (one process per GPU)</source>
        <translation>独立进程运行的进程数：多于一个时用 torchrun 在本机多块 GPU 上训练（每块 GPU 一个进程）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="542"/>
        <source>Following the run in {folder} (it trains in another process).</source>
        <translation>正在跟踪 {folder} 中的运行（它在另一个进程中训练）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="543"/>
        <source>following a run in another process</source>
        <translation>正在跟踪另一个进程中的运行</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="567"/>
        <source>Started process {pid}: {command}</source>
        <translation>已启动进程 {pid}：{command}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="588"/>
        <source>Stop requested ({file}): the process stops at the next step boundary and saves a checkpoint.</source>
        <translation>已请求停止（{file}）：进程将在下一步边界停止并保存检查点。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="646"/>
        <source>Step {step} of {total} · epoch {epoch} · loss {loss} · {speed} samples/s · ETA {eta}</source>
        <translation>第 {step} / {total} 步 · 轮次 {epoch} · 损失 {loss} · {speed} 样本/秒 · 预计剩余 {eta}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="656"/>
        <source>training step {step} of {total}, ETA {eta}</source>
        <translation>训练第 {step} / {total} 步，预计剩余 {eta}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="664"/>
        <source>preparing: {message}</source>
        <translation>准备中：{message}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="673"/>
        <source>Training {parameters} parameters on {device}: {examples} examples ({validation} for validation), {steps} steps.</source>
        <translation>在 {device} 上训练 {parameters} 个参数：{examples} 个样本（{validation} 个用于验证），共 {steps} 步。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="694"/>
        <source>Step {step} (end of an epoch): validation {metrics}</source>
        <translation>第 {step} 步（一轮结束）：验证 {metrics}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="696"/>
        <source>Step {step} (end of the run): validation {metrics}</source>
        <translation>第 {step} 步（运行结束）：验证 {metrics}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="698"/>
        <source>Step {step}: validation {metrics}</source>
        <translation>第 {step} 步：验证 {metrics}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="704"/>
        <source>Checkpoint saved at step {step} (best so far).</source>
        <translation>已在第 {step} 步保存检查点（目前最佳）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="706"/>
        <source>Checkpoint saved at step {step}.</source>
        <translation>已在第 {step} 步保存检查点。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="710"/>
        <source>paused at step {step}</source>
        <translation>已在第 {step} 步暂停</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="711"/>
        <source>Paused at step {step}.</source>
        <translation>已在第 {step} 步暂停。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="714"/>
        <source>Resumed at step {step}.</source>
        <translation>已在第 {step} 步继续。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="720"/>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="723"/>
        <source>finished ({reason})</source>
        <translation>已完成（{reason}）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="726"/>
        <source>Finished after {steps} steps. Model saved in {folder}.</source>
        <translation>训练 {steps} 步后完成。模型已保存到 {folder}。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="733"/>
        <source>cancelled at step {step}</source>
        <translation>已在第 {step} 步取消</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="735"/>
        <source>Cancelled at step {step}; checkpoint {checkpoint}.</source>
        <translation>已在第 {step} 步取消；检查点 {checkpoint}。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="742"/>
        <source>failed at step {step}</source>
        <translation>在第 {step} 步失败</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="743"/>
        <source>FAILED at step {step}: {message}</source>
        <translation>在第 {step} 步失败：{message}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="764"/>
        <source>Overlaid {name} from {folder}: {steps} steps, {evaluations} evaluations.</source>
        <translation>已叠加 {folder} 中的 {name}：{steps} 步，{evaluations} 次评估。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="772"/>
        <source>Cannot overlay: {message}</source>
        <translation>无法叠加：{message}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="781"/>
        <source>Removed the overlay {name}.</source>
        <translation>已移除叠加 {name}。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="794"/>
        <source>an earlier run of this session</source>
        <translation>本次会话中较早的一次运行</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="798"/>
        <source>All overlays</source>
        <translation>全部叠加</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="814"/>
        <source>unigram baseline</source>
        <translation>一元语法基线</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="816"/>
        <source>What a model that knows only word frequencies scores on the same validation targets (always the most frequent training token; add-one-smoothed unigram perplexity)</source>
        <translation>只知道词频的模型在相同验证目标上的得分（总是预测训练集中最常见的词元；加一平滑的一元语法困惑度）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="832"/>
        <source>Error: {message}</source>
        <translation>错误：{message}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="833"/>
        <location filename="../../workbench/gui/panels/training_panel.py" line="843"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="872"/>
        <source>Step {step} of {total} · epoch {epoch} · loss {loss} · {speed} samples/s · {state}</source>
        <translation>第 {step} / {total} 步 · 轮次 {epoch} · 损失 {loss} · {speed} 样本/秒 · {state}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="901"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="905"/>
        <source>End now</source>
        <translation>立即结束</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="908"/>
        <source>The process has not stopped yet. End it now, without saving a checkpoint: the run can be resumed from its last checkpoint.</source>
        <translation>进程尚未停止。立即结束它，不保存检查点：之后可以从它的最后一个检查点继续这次运行。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="925"/>
        <source>A run is in progress; a stopped run can be resumed once it ends.</source>
        <translation>有一个运行正在进行；它结束后才能继续已停止的运行。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="927"/>
        <source>Stop a run, or open one (File ▸ Open run… or the Runs tab), to resume it here.</source>
        <translation>停止一个运行，或打开一个运行（文件 ▸ 打开运行… 或“运行记录”标签页），即可在这里继续它。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="931"/>
        <source>Continue {run} from its latest intact checkpoint, in its own folder, with the settings it was started with (its config.json, not the panels&apos; current ones); in a separate process when that box is ticked. The arrow chooses another checkpoint.</source>
        <translation>从最新的完好检查点继续 {run}，在它自己的文件夹中按启动时的设置（它的 config.json，而非各面板当前的设置）；勾选“独立进程”时在独立进程中运行。箭头可选择其他检查点。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/training_panel.py" line="948"/>
        <source>earlier run</source>
        <translation>较早的运行</translation>
    </message>
</context>
<context>
    <name>VocabularyModel</name>
    <message>
        <location filename="../../workbench/gui/widgets/vocab_model.py" line="27"/>
        <source>Token</source>
        <translation>词元</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/vocab_model.py" line="28"/>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/vocab_model.py" line="29"/>
        <source>Count</source>
        <translation>次数</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/vocab_model.py" line="32"/>
        <source>The token as it reads (byte-level BPE bytes decoded, a leading space shown as ▁); &apos;##&apos; marks a WordPiece continuation, &apos;▁&apos; a word start</source>
        <translation>词元的可读形式（字节级 BPE 的字节已解码，开头的空格显示为 ▁）；&apos;##&apos; 表示 WordPiece 的后续片段，&apos;▁&apos; 表示词首</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/vocab_model.py" line="37"/>
        <source>The token&apos;s id: the row of the embedding matrix it selects</source>
        <translation>词元的 ID：它在嵌入矩阵中选取的行</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/vocab_model.py" line="38"/>
        <source>How often the token occurs in the corpus sample of the report (empty without a corpus)</source>
        <translation>该词元在报告所用语料样本中出现的次数（没有语料时为空）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/widgets/vocab_model.py" line="98"/>
        <source>  (special token)</source>
        <translation>  （特殊词元）</translation>
    </message>
</context>
<context>
    <name>WhatIfPanel</name>
    <message>
        <location filename="../../workbench/gui/panels/whatif_panel.py" line="101"/>
        <source>label changed: {before} → {after}</source>
        <translation>标签改变：{before} → {after}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/whatif_panel.py" line="103"/>
        <source>same label ({label}); P({label}) {change}</source>
        <translation>标签不变（{label}）；P({label}) {change}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/whatif_panel.py" line="204"/>
        <source>Load a classifier and give a sentence to compare.</source>
        <translation>加载一个分类器并输入一个句子以进行比较。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/whatif_panel.py" line="209"/>
        <source>Whether the edit changed the predicted label; if not, how much the original label&apos;s probability moved (edited − original).</source>
        <translation>编辑是否改变了预测标签；若没有，原标签的概率变化了多少（编辑后 − 原句）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/whatif_panel.py" line="214"/>
        <source>Progress and errors of the comparison.</source>
        <translation>比较的进度和错误。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/whatif_panel.py" line="215"/>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/whatif_panel.py" line="217"/>
        <source>Recompute now (it also runs {ms} ms after you stop typing in the edited box).</source>
        <translation>立即重新计算（在编辑框中停止输入 {ms} 毫秒后也会自动运行）。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/whatif_panel.py" line="220"/>
        <source>Original</source>
        <translation>原句</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/whatif_panel.py" line="221"/>
        <source>Edited</source>
        <translation>编辑后</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/whatif_panel.py" line="223"/>
        <source>The sentence as given (read-only). Struck-through tokens below were deleted or replaced by the edit.</source>
        <translation>给定的原句（只读）。下方带删除线的词元是被编辑删除或替换的。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/whatif_panel.py" line="226"/>
        <source>Edit the sentence here; the comparison updates when you stop typing.</source>
        <translation>在这里编辑句子；停止输入后比较结果会更新。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/whatif_panel.py" line="228"/>
        <source>Type an edited version of the sentence…</source>
        <translation>输入句子编辑后的版本…</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/whatif_panel.py" line="230"/>
        <source>Integrated-gradients saliency for the original&apos;s predicted label on both sides, so the colours are comparable. Green: pushed towards that label; red: away from it.</source>
        <translation>两侧都显示针对原句预测标签的积分梯度显著性，因此颜色可以直接比较。绿色：推向该标签；红色：推离该标签。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/whatif_panel.py" line="234"/>
        <source>Struck through: deleted or replaced by the edit.</source>
        <translation>删除线：被编辑删除或替换。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/whatif_panel.py" line="237"/>
        <source>Underlined bold: inserted or replaced by the edit.</source>
        <translation>下划线加粗：由编辑插入或替换。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/whatif_panel.py" line="241"/>
        <source>Attention of the last layer, averaged over heads: each row is a token attending (query), each column a token attended to (key). Rows sum to 1.</source>
        <translation>最后一层的注意力，对所有头取平均：每一行是发出关注的词元（查询），每一列是被关注的词元（键）。每行之和为 1。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/whatif_panel.py" line="294"/>
        <source>no model loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/whatif_panel.py" line="298"/>
        <source>What-if needs a classification model; this one is for {task}.</source>
        <translation>假设分析需要分类模型；当前模型用于 {task}。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/whatif_panel.py" line="301"/>
        <source>comparing…</source>
        <translation>正在比较…</translation>
    </message>
</context>
<context>
    <name>Worker</name>
    <message>
        <location filename="../../workbench/gui/workers.py" line="122"/>
        <source>Out of memory. Try a smaller batch size or a shorter maximum length, or freeze some layers.</source>
        <translation>内存不足。请尝试更小的批大小或更短的最大长度，或冻结部分层。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/workers.py" line="127"/>
        <source>Unexpected error: {kind}: {message}</source>
        <translation>意外错误：{kind}：{message}</translation>
    </message>
</context>
<context>
    <name>_ErrorBanner</name>
    <message>
        <location filename="../../workbench/gui/widgets/error_banner.py" line="13"/>
        <source>Hide this message (the problem stays until another file is loaded)</source>
        <translation>隐藏此消息（问题会一直存在，直到加载另一个文件）</translation>
    </message>
</context>
<context>
    <name>_SideView</name>
    <message>
        <location filename="../../workbench/gui/panels/whatif_panel.py" line="125"/>
        <source>The label the model predicts for this text, with its probability.</source>
        <translation>模型为这段文本预测的标签及其概率。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/whatif_panel.py" line="130"/>
        <source>The label the saliency below explains: the original&apos;s prediction, on both sides.</source>
        <translation>下方显著性所解释的标签：两侧都是原句的预测标签。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/whatif_panel.py" line="143"/>
        <source>Give a sentence to compare to see its attention here.</source>
        <translation>给出一个要比较的句子，即可在这里查看它的注意力。</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/whatif_panel.py" line="159"/>
        <source>predicted: {label} ({probability})</source>
        <translation>预测：{label}（{probability}）</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/whatif_panel.py" line="167"/>
        <source>Saliency for: {label}</source>
        <translation>显著性针对：{label}</translation>
    </message>
    <message>
        <location filename="../../workbench/gui/panels/whatif_panel.py" line="177"/>
        <source>last layer, mean over heads</source>
        <translation>最后一层，各头平均</translation>
    </message>
</context>
</TS>
